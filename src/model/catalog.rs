//! The built-in EC2 instance type catalog: vCPUs, memory and on-demand price.
//!
//! Prices are us-east-1 on-demand Linux list prices [USD/h] as publicly listed (see
//! `aws-behavior.md` §14.2; t3.micro $0.0104 and m5.large $0.096 are cross-checked there, the rest
//! follow AWS's size doubling within a family). A model may add or override types with
//! `instance_types`.

/// An EC2 instance type.
#[derive(Clone, Debug, PartialEq)]
pub struct InstanceType {
    /// API name, e.g. `t3.micro`.
    pub name: String,
    /// vCPUs: how many running requests proceed at full speed.
    pub vcpus: u32,
    /// Memory \[GiB\] (informational).
    pub memory_gib: f64,
    /// On-demand price [USD per hour].
    pub price_per_hour: f64,
}

/// `(name, vCPUs, memory GiB, USD/h)` of the built-in types.
const BUILT_IN: &[(&str, u32, f64, f64)] = &[
    ("t2.nano", 1, 0.5, 0.0058),
    ("t2.micro", 1, 1.0, 0.0116),
    ("t2.small", 1, 2.0, 0.023),
    ("t2.medium", 2, 4.0, 0.0464),
    ("t2.large", 2, 8.0, 0.0928),
    ("t2.xlarge", 4, 16.0, 0.1856),
    ("t2.2xlarge", 8, 32.0, 0.3712),
    ("t3.nano", 2, 0.5, 0.0052),
    ("t3.micro", 2, 1.0, 0.0104),
    ("t3.small", 2, 2.0, 0.0208),
    ("t3.medium", 2, 4.0, 0.0416),
    ("t3.large", 2, 8.0, 0.0832),
    ("t3.xlarge", 4, 16.0, 0.1664),
    ("t3.2xlarge", 8, 32.0, 0.3328),
    ("m5.large", 2, 8.0, 0.096),
    ("m5.xlarge", 4, 16.0, 0.192),
    ("m5.2xlarge", 8, 32.0, 0.384),
    ("m5.4xlarge", 16, 64.0, 0.768),
    ("c5.large", 2, 4.0, 0.085),
    ("c5.xlarge", 4, 8.0, 0.17),
    ("c5.2xlarge", 8, 16.0, 0.34),
    ("c5.4xlarge", 16, 32.0, 0.68),
    ("r5.large", 2, 16.0, 0.126),
    ("r5.xlarge", 4, 32.0, 0.252),
    ("m6i.large", 2, 8.0, 0.096),
    ("m6i.xlarge", 4, 16.0, 0.192),
    ("c6i.large", 2, 4.0, 0.085),
    ("c6i.xlarge", 4, 8.0, 0.17),
];

/// The built-in catalog, in a fixed order.
pub fn built_in() -> Vec<InstanceType> {
    BUILT_IN
        .iter()
        .map(|&(name, vcpus, memory_gib, price_per_hour)| InstanceType {
            name: name.to_string(),
            vcpus,
            memory_gib,
            price_per_hour,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalog_covers_the_common_families() {
        let names: Vec<String> = built_in().into_iter().map(|t| t.name).collect();
        for family in ["t2", "t3"] {
            for size in ["micro", "small", "medium", "large", "xlarge"] {
                assert!(
                    names.contains(&format!("{family}.{size}")),
                    "{family}.{size}"
                );
            }
        }
        for family in ["m5", "c5"] {
            for size in ["large", "xlarge", "2xlarge", "4xlarge"] {
                assert!(
                    names.contains(&format!("{family}.{size}")),
                    "{family}.{size}"
                );
            }
        }
    }

    #[test]
    fn sizes_double_within_a_family() {
        let cat = built_in();
        let get = |n: &str| cat.iter().find(|t| t.name == n).unwrap().clone();
        assert!(
            (get("t3.large").price_per_hour / get("t3.micro").price_per_hour - 8.0).abs() < 1e-9
        );
        assert_eq!(get("m5.4xlarge").vcpus, 8 * get("m5.large").vcpus);
    }
}
