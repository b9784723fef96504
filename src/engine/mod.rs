//! The domain-free discrete-event engine: integer simulated time, a deterministic event queue and
//! named random-number streams.
//!
//! Nothing in here knows about load balancers. The model layer (`crate::model`) defines its own
//! `Event` enum and drives the loop; the engine guarantees three things it relies on:
//!
//! - **exact time**: [`SimTime`] is a count of nanoseconds in a `u64`, so there is no float drift
//!   and two events scheduled for the same instant really are simultaneous;
//! - **deterministic order**: the [`EventQueue`] pops events by `(time, sequence)`, so ties resolve in
//!   the order they were scheduled, on any machine;
//! - **independent randomness**: each component draws from its own [`RngStream`], derived from the
//!   master seed and the component's name, so adding a client never changes another one's draws.

pub mod human;
pub mod queue;
pub mod rng;
pub mod time;

pub use queue::EventQueue;
pub use rng::RngStream;
pub use time::{SimDuration, SimTime};
