//! One module per subcommand.

pub mod build;
pub mod compare;
pub mod extract;
