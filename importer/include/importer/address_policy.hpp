#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sockaddr;

namespace pressroom::importer {

// What kind of network address a connection would go to.
enum class AddressClass {
  public_address,   // the internet
  private_address,  // RFC 1918, carrier-grade NAT (100.64/10), benchmarking, IPv6 unique-local
  loopback,         // 127/8, ::1, and 0.0.0.0/8, which Linux connects to this machine
  link_local,       // 169.254/16, fe80::/10
  cloud_metadata,   // the instance-metadata services of cloud providers (169.254.169.254,
                    // fd00:ec2::254, 100.100.100.200)
  reserved,         // multicast, broadcast, unspecified and other addresses no photo lives on
};

// The class of an IPv4 or IPv6 socket address. IPv4 addresses embedded in IPv6 (mapped,
// NAT64, 6to4) are classed by the IPv4 address. Any other family is `reserved`.
AddressClass classify_address(const sockaddr& address);
// The class of an address literal ("10.0.0.1", "::1", "[::1]"); nullopt when it is not one.
std::optional<AddressClass> classify_address(std::string_view literal);

// Which addresses the fetcher may connect to. Link-local, cloud-metadata and reserved
// addresses are always refused; private and loopback ones unless `allow_private` is set or the
// URL's host is one of `allowed_hosts` (compared without case). The check is made on the
// address being connected, after name resolution, so DNS rebinding cannot get around it.
struct AddressPolicy {
  bool allow_private = false;
  std::vector<std::string> allowed_hosts;

  // nullopt when `host` (the URL's host) may be reached at `address`; otherwise why not, as a
  // user reads it: "127.0.0.1 is a loopback address; allow it with --allow-host localhost or
  // --allow-private".
  std::optional<std::string> refusal(std::string_view host, const sockaddr& address) const;
  // The same decision for an address given as a literal.
  std::optional<std::string> refusal(std::string_view host, std::string_view literal) const;
};

}  // namespace pressroom::importer
