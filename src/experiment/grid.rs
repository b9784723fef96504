//! (being written) Parameters into points: products, lockstep groups, the constraint.
