//! `Fn::Cidr`: the first `count` subnets of `cidr_bits` host bits inside an address block.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `Fn::Cidr [ip_block, count, cidr_bits]`: subnets of prefix length (address bits −
/// `cidr_bits`) from the block's first address on, in order (`10.0.0.0/16`, 3, 8 ⇒
/// `10.0.0.0/24`, `10.0.1.0/24`, `10.0.2.0/24`). `count` is 1–256 as CloudFormation allows.
pub fn subnets(ip_block: &str, count: u64, cidr_bits: u64) -> Result<Vec<String>, String> {
    let (addr, prefix) = ip_block
        .split_once('/')
        .ok_or_else(|| format!("`{ip_block}` is not an address block such as 10.0.0.0/16"))?;
    let addr: IpAddr = addr
        .trim()
        .parse()
        .map_err(|_| format!("`{ip_block}`: `{addr}` is not an IP address"))?;
    let bits: u32 = if addr.is_ipv4() { 32 } else { 128 };
    let prefix: u32 = prefix
        .trim()
        .parse()
        .ok()
        .filter(|p| *p <= bits)
        .ok_or_else(|| format!("`{ip_block}`: the prefix length must be 0–{bits}"))?;
    if !(1..=256).contains(&count) {
        return Err(format!("count {count}: must be 1–256"));
    }
    if cidr_bits == 0 || cidr_bits > u64::from(bits - prefix) {
        return Err(format!(
            "cidrBits {cidr_bits}: must be 1–{} for the block {ip_block}",
            bits - prefix
        ));
    }
    let cidr_bits = cidr_bits as u32;
    let new_prefix = bits - cidr_bits;
    let room_bits = new_prefix - prefix;
    if room_bits < 64 && count > (1u64 << room_bits) {
        return Err(format!(
            "{ip_block} holds only {} subnets of /{new_prefix}, not {count}",
            1u64 << room_bits
        ));
    }
    let base: u128 = match addr {
        IpAddr::V4(a) => u128::from(u32::from(a)),
        IpAddr::V6(a) => u128::from(a),
    };
    let host_mask = if prefix == 0 {
        u128::MAX
    } else {
        (1u128 << (bits - prefix)) - 1
    };
    let base = base & !host_mask;
    Ok((0..u128::from(count))
        .map(|i| {
            let net = base + (i << cidr_bits);
            match addr {
                IpAddr::V4(_) => format!("{}/{new_prefix}", Ipv4Addr::from(net as u32)),
                IpAddr::V6(_) => format!("{}/{new_prefix}", Ipv6Addr::from(net)),
            }
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ipv4_subnets_follow_one_another() {
        // AWS's example: !Cidr ["192.168.0.0/24", 6, 5] ⇒ six /27s.
        assert_eq!(
            subnets("192.168.0.0/24", 6, 5).unwrap(),
            [
                "192.168.0.0/27",
                "192.168.0.32/27",
                "192.168.0.64/27",
                "192.168.0.96/27",
                "192.168.0.128/27",
                "192.168.0.160/27"
            ]
        );
        assert_eq!(
            subnets("10.0.0.0/16", 3, 8).unwrap(),
            ["10.0.0.0/24", "10.0.1.0/24", "10.0.2.0/24"]
        );
        // Host bits of the block are cleared first.
        assert_eq!(subnets("10.0.5.7/16", 1, 12).unwrap(), ["10.0.0.0/20"]);
    }

    #[test]
    fn ipv6_subnets() {
        assert_eq!(
            subnets("2001:db8::/56", 2, 64).unwrap(),
            ["2001:db8::/64", "2001:db8:0:1::/64"]
        );
    }

    #[test]
    fn impossible_requests_are_errors() {
        assert!(
            subnets("10.0.0.0/24", 3, 7)
                .unwrap_err()
                .contains("holds only 2")
        );
        assert!(subnets("10.0.0.0/24", 1, 9).unwrap_err().contains("1–8"));
        assert!(subnets("10.0.0.0/24", 0, 4).unwrap_err().contains("1–256"));
        assert!(subnets("10.0.0.0", 1, 4).is_err());
        assert!(subnets("10.0.0.300/24", 1, 4).is_err());
    }
}
