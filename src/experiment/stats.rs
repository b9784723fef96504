//! (being written) Means and Student-t confidence intervals over replications.
