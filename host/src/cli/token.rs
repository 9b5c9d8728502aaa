//! `gamehost token new NAME --scope SCOPE… [--aws]`: makes a token for the
//! tokens file (`gamehost serve --tokens FILE`), printing the token once and
//! the file's line, which holds its hash (and, with `--aws`, the key its
//! GameLift request signatures are checked with).

use crate::tokens::{self, Credential, Scope};
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
        /// Also let the token sign GameLift requests (AWS Signature Version
        /// 4: NAME as the access key id, the token as the secret access
        /// key). The line then holds a key that checks those signatures:
        /// keep the tokens file as secret as the tokens.
        #[arg(long)]
        aws: bool,
    },
}

/// Runs `gamehost token`.
pub fn run(args: TokenArgs) -> anyhow::Result<()> {
    let TokenCommand::New { name, scopes, aws } = args.command;
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
    let mut credential = Credential::new(&name, &token, parsed);
    if aws {
        credential = credential.signing_aws(&token).map_err(anyhow::Error::msg)?;
    }
    println!("token (shown once; give it to the client): {token}");
    if aws {
        println!("for AWS clients: access key id {name}, secret access key the token");
    }
    println!("line for the tokens file:");
    println!("{}", credential.line());
    Ok(())
}
