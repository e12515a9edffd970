#include "importer/address_policy.hpp"

#include <vector>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>

namespace pressroom::importer {
namespace {

struct ClassCase {
  const char* address;
  AddressClass expected;
};

TEST(AddressPolicy, ClassesAddressesByIanaSpecialPurposeRanges) {
  const std::vector<ClassCase> cases = {
      {"93.184.216.34", AddressClass::public_address},
      {"2a00:1450:4001:82a::2004", AddressClass::public_address},
      {"127.0.0.1", AddressClass::loopback},
      {"127.255.0.9", AddressClass::loopback},
      {"0.0.0.0", AddressClass::loopback},
      {"::1", AddressClass::loopback},
      {"[::1]", AddressClass::loopback},
      {"10.1.2.3", AddressClass::private_address},
      {"172.16.0.1", AddressClass::private_address},
      {"172.31.255.255", AddressClass::private_address},
      {"172.32.0.1", AddressClass::public_address},
      {"192.168.178.1", AddressClass::private_address},
      {"100.64.0.1", AddressClass::private_address},
      {"fd12:3456::1", AddressClass::private_address},
      {"169.254.10.20", AddressClass::link_local},
      {"fe80::1", AddressClass::link_local},
      {"169.254.169.254", AddressClass::cloud_metadata},
      {"fd00:ec2::254", AddressClass::cloud_metadata},
      {"100.100.100.200", AddressClass::cloud_metadata},
      {"::ffff:169.254.169.254", AddressClass::cloud_metadata},  // IPv4-mapped
      {"::ffff:127.0.0.1", AddressClass::loopback},
      {"64:ff9b::10.0.0.1", AddressClass::private_address},  // NAT64
      {"2002:7f00:1::", AddressClass::loopback},             // 6to4 of 127.0.0.1
      {"224.0.0.1", AddressClass::reserved},
      {"255.255.255.255", AddressClass::reserved},
      {"::", AddressClass::reserved},
      {"ff02::1", AddressClass::reserved},
  };
  for (const auto& item : cases) {
    const auto found = classify_address(item.address);
    ASSERT_TRUE(found) << item.address;
    EXPECT_EQ(*found, item.expected) << item.address;
  }
  EXPECT_FALSE(classify_address("photos.example.org"));
  EXPECT_FALSE(classify_address("256.1.1.1"));
}

TEST(AddressPolicy, ClassesSocketAddressesAsTheirLiterals) {
  sockaddr_in v4{};
  v4.sin_family = AF_INET;
  ASSERT_EQ(inet_pton(AF_INET, "169.254.169.254", &v4.sin_addr), 1);
  EXPECT_EQ(classify_address(reinterpret_cast<const sockaddr&>(v4)), AddressClass::cloud_metadata);
  sockaddr_in6 v6{};
  v6.sin6_family = AF_INET6;
  ASSERT_EQ(inet_pton(AF_INET6, "::1", &v6.sin6_addr), 1);
  EXPECT_EQ(classify_address(reinterpret_cast<const sockaddr&>(v6)), AddressClass::loopback);
}

TEST(AddressPolicy, AllowsPrivateAddressesOnlyWhenAskedAndMetadataNever) {
  AddressPolicy policy;
  EXPECT_FALSE(policy.refusal("www.duesseldorf.de", "194.8.200.10"));
  ASSERT_TRUE(policy.refusal("nas.local", "192.168.1.5"));
  EXPECT_EQ(*policy.refusal("nas.local", "192.168.1.5"),
            "192.168.1.5 is a private network address; allow it with --allow-host nas.local or "
            "--allow-private");
  EXPECT_FALSE(policy.refusal("photos.test", "photos.test"));  // a name: judged when connected

  policy.allowed_hosts = {"NAS.local"};
  EXPECT_FALSE(policy.refusal("nas.local", "192.168.1.5"));
  EXPECT_TRUE(policy.refusal("other.local", "192.168.1.5"));

  policy.allow_private = true;
  EXPECT_FALSE(policy.refusal("other.local", "10.0.0.8"));
  EXPECT_FALSE(policy.refusal("localhost", "::1"));
  policy.allowed_hosts.emplace_back("169.254.169.254");
  ASSERT_TRUE(policy.refusal("169.254.169.254", "169.254.169.254"));
  EXPECT_EQ(*policy.refusal("169.254.169.254", "169.254.169.254"),
            "169.254.169.254 is a cloud metadata service address, which is never fetched from");
  EXPECT_TRUE(policy.refusal("printer", "fe80::1"));
}

}  // namespace
}  // namespace pressroom::importer
