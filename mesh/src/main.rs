//! The `nanolambda` command.

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(
    name = "nanolambda",
    version,
    about = "Functions-as-a-Service for every tier of the IoT"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start a capable node (not built yet: see issue "The capable node").
    Up,
}

fn main() -> anyhow::Result<()> {
    let cli = Cli::parse();
    match cli.command {
        Command::Up => {
            anyhow::bail!(
                "the capable node is not built yet; `nanolambda up` arrives with the node issue"
            )
        }
    }
}
