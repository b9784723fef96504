//! Resources → an albsim model.

use super::{ImportError, Imported, Stack};

/// Maps the stack's resources to a model.
pub fn map(stack: &Stack) -> Result<Imported, ImportError> {
    let _ = stack;
    todo!("h-cfnmap")
}
