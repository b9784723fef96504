//! Fitting service times per request class from access logs (`albsim fit`).
