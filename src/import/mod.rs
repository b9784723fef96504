//! Importing what users already have into albsim models: CloudFormation templates
//! (`albsim import cloudformation`).

pub mod cloudformation;
