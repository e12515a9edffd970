#include "importer/address_policy.hpp"

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <strings.h>
#include <sys/socket.h>

namespace pressroom::importer {
namespace {

constexpr std::uint32_t ipv4(unsigned a, unsigned b, unsigned c, unsigned d) {
  return (a << 24U) | (b << 16U) | (c << 8U) | d;
}

bool in_network(std::uint32_t address, std::uint32_t network, unsigned prefix) {
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32U - prefix);
  return (address & mask) == (network & mask);
}

// `address` in host byte order. The ranges are IANA's special-purpose registry (RFC 6890).
AddressClass classify_ipv4(std::uint32_t address) {
  // Alibaba Cloud's metadata service sits in the carrier-grade NAT range; check it first.
  if (address == ipv4(169, 254, 169, 254) || address == ipv4(100, 100, 100, 200)) {
    return AddressClass::cloud_metadata;
  }
  if (in_network(address, ipv4(127, 0, 0, 0), 8) || in_network(address, ipv4(0, 0, 0, 0), 8)) {
    return AddressClass::loopback;
  }
  if (in_network(address, ipv4(169, 254, 0, 0), 16)) {
    return AddressClass::link_local;
  }
  if (in_network(address, ipv4(10, 0, 0, 0), 8) || in_network(address, ipv4(172, 16, 0, 0), 12) ||
      in_network(address, ipv4(192, 168, 0, 0), 16) ||
      in_network(address, ipv4(100, 64, 0, 0), 10) ||
      in_network(address, ipv4(198, 18, 0, 0), 15) || in_network(address, ipv4(192, 0, 0, 0), 24)) {
    return AddressClass::private_address;
  }
  if (in_network(address, ipv4(224, 0, 0, 0), 4) || in_network(address, ipv4(240, 0, 0, 0), 4)) {
    return AddressClass::reserved;  // multicast, and 240/4 with the broadcast address
  }
  return AddressClass::public_address;
}

std::uint32_t ipv4_at(const std::array<std::uint8_t, 16>& bytes, std::size_t offset) {
  return ipv4(bytes[offset], bytes[offset + 1], bytes[offset + 2], bytes[offset + 3]);
}

AddressClass classify_ipv6(const std::array<std::uint8_t, 16>& bytes) {
  const auto starts_with = [&bytes](std::initializer_list<std::uint8_t> prefix) {
    return std::equal(prefix.begin(), prefix.end(), bytes.begin());
  };
  const bool first_ten_zero =
      std::all_of(bytes.begin(), bytes.begin() + 10, [](std::uint8_t byte) { return byte == 0; });
  // ::ffff:a.b.c.d (mapped), 64:ff9b::a.b.c.d (NAT64), 2002:aabb:ccdd:: (6to4) reach IPv4.
  if (first_ten_zero && bytes[10] == 0xFF && bytes[11] == 0xFF) {
    return classify_ipv4(ipv4_at(bytes, 12));
  }
  if (starts_with({0x00, 0x64, 0xFF, 0x9B, 0, 0, 0, 0, 0, 0, 0, 0})) {
    return classify_ipv4(ipv4_at(bytes, 12));
  }
  if (starts_with({0x20, 0x02})) {
    return classify_ipv4(ipv4_at(bytes, 2));
  }
  static constexpr std::array<std::uint8_t, 16> k_aws_metadata = {
      0xFD, 0x00, 0x0E, 0xC2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
  if (bytes == k_aws_metadata) {
    return AddressClass::cloud_metadata;
  }
  const bool first_fifteen_zero =
      std::all_of(bytes.begin(), bytes.begin() + 15, [](std::uint8_t byte) { return byte == 0; });
  if (first_fifteen_zero && bytes[15] == 1) {
    return AddressClass::loopback;
  }
  if (first_fifteen_zero && bytes[15] == 0) {
    return AddressClass::reserved;  // ::, the unspecified address
  }
  if (bytes[0] == 0xFE && (bytes[1] & 0xC0U) == 0x80) {
    return AddressClass::link_local;  // fe80::/10
  }
  if ((bytes[0] & 0xFEU) == 0xFC) {
    return AddressClass::private_address;  // fc00::/7, unique local
  }
  if (bytes[0] == 0xFF) {
    return AddressClass::reserved;  // multicast
  }
  return AddressClass::public_address;
}

const char* describe(AddressClass address_class) {
  switch (address_class) {
    case AddressClass::public_address:
      return "a public address";
    case AddressClass::private_address:
      return "a private network address";
    case AddressClass::loopback:
      return "a loopback address";
    case AddressClass::link_local:
      return "a link-local address";
    case AddressClass::cloud_metadata:
      return "a cloud metadata service address";
    case AddressClass::reserved:
      return "a reserved address";
  }
  return "an address";
}

std::string_view without_brackets(std::string_view host) {
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    return host.substr(1, host.size() - 2);
  }
  return host;
}

std::string address_text(const sockaddr& address) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (address.sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, &address, sizeof in);
    inet_ntop(AF_INET, &in.sin_addr, text.data(), text.size());
  } else if (address.sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address, sizeof in6);
    inet_ntop(AF_INET6, &in6.sin6_addr, text.data(), text.size());
  } else {
    return "an address of family " + std::to_string(address.sa_family);
  }
  return text.data();
}

std::optional<std::string> decide(const AddressPolicy& policy, std::string_view host,
                                  AddressClass address_class, const std::string& address) {
  switch (address_class) {
    case AddressClass::public_address:
      return std::nullopt;
    case AddressClass::link_local:
    case AddressClass::cloud_metadata:
    case AddressClass::reserved:
      return address + " is " + describe(address_class) + ", which is never fetched from";
    case AddressClass::private_address:
    case AddressClass::loopback:
      break;
  }
  const std::string_view bare = without_brackets(host);
  const bool allowed =
      policy.allow_private ||
      std::any_of(policy.allowed_hosts.begin(), policy.allowed_hosts.end(),
                  [bare](const std::string& allowed_host) {
                    const std::string_view wanted = without_brackets(allowed_host);
                    return wanted.size() == bare.size() &&
                           strncasecmp(wanted.data(), bare.data(), bare.size()) == 0;
                  });
  if (allowed) {
    return std::nullopt;
  }
  return address + " is " + describe(address_class) + "; allow it with --allow-host " +
         std::string(bare) + " or --allow-private";
}

}  // namespace

AddressClass classify_address(const sockaddr& address) {
  if (address.sa_family == AF_INET) {
    sockaddr_in in{};
    std::memcpy(&in, &address, sizeof in);
    return classify_ipv4(ntohl(in.sin_addr.s_addr));
  }
  if (address.sa_family == AF_INET6) {
    sockaddr_in6 in6{};
    std::memcpy(&in6, &address, sizeof in6);
    std::array<std::uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), &in6.sin6_addr, bytes.size());
    return classify_ipv6(bytes);
  }
  return AddressClass::reserved;
}

std::optional<AddressClass> classify_address(std::string_view literal) {
  const std::string text(without_brackets(literal));
  in_addr v4{};
  if (inet_pton(AF_INET, text.c_str(), &v4) == 1) {
    return classify_ipv4(ntohl(v4.s_addr));
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, text.c_str(), &v6) == 1) {
    std::array<std::uint8_t, 16> bytes{};
    std::memcpy(bytes.data(), &v6, bytes.size());
    return classify_ipv6(bytes);
  }
  return std::nullopt;
}

std::optional<std::string> AddressPolicy::refusal(std::string_view host,
                                                  const sockaddr& address) const {
  return decide(*this, host, classify_address(address), address_text(address));
}

std::optional<std::string> AddressPolicy::refusal(std::string_view host,
                                                  std::string_view literal) const {
  const auto address_class = classify_address(literal);
  if (!address_class) {
    return std::nullopt;  // a name: judged when it is resolved and connected
  }
  return decide(*this, host, *address_class, std::string(without_brackets(literal)));
}

}  // namespace pressroom::importer
