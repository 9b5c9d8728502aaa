//! `gamehost token new NAME --scope SCOPE…`: makes a token for the tokens
//! file (`gamehost serve --tokens FILE`), printing the token once and the
//! file's line, which holds only its hash.

use crate::api::tokens::{self, Credential, Scope};
use anyhow::bail;

/// `gamehost token`'s arguments.
#[derive(Debug, clap::Args)]
pub struct TokenArgs {
    #[command(subcommand)]
    command: TokenCommand,
}

#[derive(Debug, clap::Subcommand)]
enum TokenCommand {
    /// Makes a new token named NAME with the scopes given.
    New {
        /// The token's name, which the audit log shows (1 to 63 letters,
        /// digits, '-', '_' or '.').
        name: String,
        /// A scope: read, sessions, deploy or admin (repeatable, or
        /// comma-separated).
        #[arg(long = "scope", required = true, value_delimiter = ',')]
        scopes: Vec<String>,
    },
}

/// Runs `gamehost token`.
pub fn run(args: TokenArgs) -> anyhow::Result<()> {
    let TokenCommand::New { name, scopes } = args.command;
    tokens::check_name(&name).map_err(anyhow::Error::msg)?;
    let mut parsed = Vec::new();
    for scope in &scopes {
        match Scope::parse(scope) {
            Some(scope) if !parsed.contains(&scope) => parsed.push(scope),
            Some(_) => {}
            None => bail!("unknown scope {scope:?}; scopes are read, sessions, deploy and admin"),
        }
    }
    let token = tokens::generate()?;
    let credential = Credential::new(&name, &token, parsed);
    println!("token (shown once; give it to the client): {token}");
    println!("line for the tokens file:");
    println!("{}", credential.line());
    Ok(())
}
