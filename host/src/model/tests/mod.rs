//! Table-driven tests of the game-server aggregate with a fake clock.

mod fixture;
mod gamelift;
mod lifecycle;
