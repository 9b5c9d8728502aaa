//! `gamehost module`: list, get, delete and upload game-mode modules.

use super::client::{Client, ClientArgs, Table, age_of, cell, print_json};
use super::progress::{UploadProgress, size};
use anyhow::Context;
use reqwest::header::CONTENT_TYPE;
use reqwest::{Method, StatusCode};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::path::Path;
use std::sync::atomic::Ordering;

/// Chunk size of an upload's body; small enough for a smooth progress line.
const CHUNK: usize = 64 * 1024;

/// `gamehost module`'s arguments.
#[derive(Debug, clap::Args)]
pub struct ModuleArgs {
    #[command(flatten)]
    client: ClientArgs,
    #[command(subcommand)]
    command: ModuleCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ModuleCommand {
    /// Lists the uploaded modules.
    List,
    /// Shows one module.
    Get {
        /// Its id or name@version.
        module: String,
    },
    /// Deletes a module no fleet uses.
    Delete {
        /// Its id or name@version.
        module: String,
    },
    /// Uploads and compiles a component.
    Upload {
        /// The component (.wasm).
        file: std::path::PathBuf,
        /// The module's name (default: the file's stem).
        #[arg(long)]
        name: Option<String>,
        /// The module's version (default: `sha-` and the start of its
        /// SHA-256).
        #[arg(long)]
        version: Option<String>,
    },
}

/// Runs `gamehost module`.
pub async fn run(args: ModuleArgs) -> anyhow::Result<()> {
    let client = Client::new(&args.client)?;
    let json = args.client.json;
    let module = match args.command {
        ModuleCommand::List => {
            let list = client.get(&["v1", "modules"], &[]).await?;
            if json {
                print_json(&list);
            } else {
                print_modules(list["modules"].as_array().map_or(&[], Vec::as_slice));
            }
            return Ok(());
        }
        ModuleCommand::Get { module } => client.get(&["v1", "modules", &module], &[]).await?,
        ModuleCommand::Delete { module } => {
            client
                .call(Method::DELETE, &["v1", "modules", &module], &[], None)
                .await?;
            if !json {
                println!("module {module} deleted");
            }
            return Ok(());
        }
        ModuleCommand::Upload {
            file,
            name,
            version,
        } => upload(&client, &file, name, version).await?,
    };
    if json {
        print_json(&module);
    } else {
        print_modules(std::slice::from_ref(&module));
    }
    Ok(())
}

fn print_modules(modules: &[Value]) {
    let mut table = Table::new(&["ID", "NAME", "VERSION", "SIZE", "COMPILE", "AGE"]);
    for module in modules {
        let id = cell(&module["id"]);
        table.row(vec![
            id.chars().take(12).collect(),
            cell(&module["name"]),
            cell(&module["version"]),
            module["size"].as_u64().map_or_else(|| "-".into(), size),
            format!("{}ms", cell(&module["compileMillis"])),
            age_of(&module["uploadedAt"]),
        ]);
    }
    table.print();
}

/// Uploads the component at `file` as `name@version`, showing progress on
/// stderr, and returns the module the daemon answered. The name defaults to
/// the file's stem and the version to its content hash, as
/// `gamehost serve --deploy` does, so uploading the same file again is a
/// no-op.
pub async fn upload(
    client: &Client,
    file: &Path,
    name: Option<String>,
    version: Option<String>,
) -> anyhow::Result<Value> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let name = match name {
        Some(name) => name,
        None => file
            .file_stem()
            .and_then(|stem| stem.to_str())
            .map(str::to_owned)
            .context("cannot name the module after the file: pass --name")?,
    };
    let version = version.unwrap_or_else(|| {
        let digest = Sha256::digest(&bytes);
        let hex: String = digest.iter().map(|b| format!("{b:02x}")).collect();
        format!("sha-{}", &hex[..12])
    });
    let total = bytes.len() as u64;
    let progress = UploadProgress::start(format!("{name}@{version}"), total);
    let sent = progress.counter();
    let chunks: Vec<Vec<u8>> = bytes.chunks(CHUNK).map(<[u8]>::to_vec).collect();
    let body = futures_util::stream::iter(chunks.into_iter().map(move |chunk| {
        sent.fetch_add(chunk.len() as u64, Ordering::Relaxed);
        Ok::<_, std::io::Error>(chunk)
    }));
    let url = client.url(
        &["v1", "modules"],
        &[("name", &name), ("version", &version)],
    );
    let request = client
        .request(Method::POST, url)
        .header(CONTENT_TYPE, "application/wasm")
        .body(reqwest::Body::wrap_stream(body));
    let response = client.send(request).await;
    drop(progress);
    let response = response?;
    // 200 rather than 201: the daemon already had these bytes.
    let created = response.status() == StatusCode::CREATED;
    let module: Value = response.json().await.context("reading the module")?;
    let label = format!("{}@{}", cell(&module["name"]), cell(&module["version"]));
    if created {
        let millis = cell(&module["compileMillis"]);
        eprintln!("module {label} ({}) compiled in {millis} ms", size(total));
    } else {
        eprintln!("module {label} was already uploaded");
    }
    Ok(module)
}
