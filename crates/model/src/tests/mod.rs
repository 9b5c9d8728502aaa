//! Table-driven tests of the game-server aggregate and the game-server
//! registry with a fake clock.

mod fixture;
mod gamelift;
mod lifecycle;
mod properties;
mod registry;
