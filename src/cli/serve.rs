//! `qantara serve` and `qantara token`: the HTTP server of a desk's shared memory and its
//! bearer tokens.

use super::glossary::GlossaryArgs;
use super::tm::TmArg;
use crate::serve::tokens::{Role, Tokens};
use std::path::PathBuf;
use std::process::ExitCode;

/// Arguments of `qantara serve`.
#[derive(Debug, clap::Args)]
#[command(after_long_help = DEPLOYMENT)]
pub struct Args {
    #[command(flatten)]
    tm: TmArg,
    /// Address and port to listen on (only this one is bound). Keep the loopback default
    /// behind a TLS reverse proxy; name another address only on a trusted network.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR:PORT")]
    listen: std::net::SocketAddr,
    /// The token file (`qantara token add`); every request but /v1/health needs one of its tokens.
    #[arg(long, value_name = "FILE", default_value = "qantara-tokens.tsv")]
    tokens: PathBuf,
    /// Largest JSON request body, in bytes.
    #[arg(long, default_value_t = 1 << 20, value_name = "BYTES")]
    max_body: usize,
    /// Largest upload to POST /v1/imports, in bytes.
    #[arg(long, default_value_t = 256 << 20, value_name = "BYTES")]
    max_upload: usize,
    /// Most segments in one lookup request.
    #[arg(long, default_value_t = 1000, value_name = "N")]
    max_batch: usize,
    /// Memory for the PostgreSQL store's cache of posting lists and texts, shared by all
    /// requests and emptied by every write to the memory (from any server or CLI run), in MB.
    #[arg(long, default_value_t = 512, value_name = "MB")]
    cache_mb: usize,
    /// Folder for uploads being imported (default: a folder under the system's temporary folder).
    #[arg(long, value_name = "DIR")]
    spool: Option<PathBuf>,
    /// Log level: error, warn, info, debug or trace.
    #[arg(long, default_value = "info")]
    log: tracing::Level,
    #[command(flatten)]
    glossary: GlossaryArgs,
}

const DEPLOYMENT: &str = "\
Deployment:
  1. A PostgreSQL database for the memory (any locale; qantara does its own matching):
       createdb -E UTF8 qantara
     then --tm postgres://USER@HOST/qantara (the schema is created and migrated on first use;
     a password goes in the URL, postgres://USER:PASSWORD@HOST/qantara, or in ~/.pgpass).
     --tm PATH serves an SQLite file instead (one machine only).
  2. One token per person, roles read (look up, search, check, list, export), write (also
     store documents and import) or admin (also delete documents):
       qantara token add amina --role write --tokens /etc/qantara/tokens.tsv
     prints the token once; only its SHA-256 is kept. `qantara token list|revoke` manage them;
     the server re-reads the file when it changes.
  3. Run it under systemd, e.g. /etc/systemd/system/qantara.service:
       [Unit]
       Description=qantara translation memory server
       After=network.target postgresql.service
       [Service]
       User=qantara
       ExecStart=/usr/local/bin/qantara serve --tm postgres://qantara@localhost/qantara \\
           --tokens /etc/qantara/tokens.tsv --listen 127.0.0.1:8080
       Restart=on-failure
       KillSignal=SIGTERM
       [Install]
       WantedBy=multi-user.target
     SIGTERM (systemctl stop) lets requests in flight finish, then exits. Put a TLS reverse
     proxy (nginx, Caddy) in front: tokens must not cross a network in clear.
  Endpoints: GET /v1/openapi.json describes them all; GET /v1/health needs no token.
  Logs: one line per request on standard error (journalctl -u qantara).";

/// Runs `qantara serve`.
pub fn run(args: Args) -> anyhow::Result<ExitCode> {
    tracing_subscriber::fmt()
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_max_level(args.log)
        .with_target(false)
        .init();
    let tm = args.tm.path().to_string_lossy().into_owned();
    let spool = args.spool.clone().unwrap_or_else(|| {
        std::env::temp_dir().join(format!("qantara-serve-{:016x}", crate::tm::fnv64(&[tm.as_bytes()])))
    });
    let cfg = crate::serve::Config {
        tm,
        listen: args.listen,
        tokens: args.tokens.clone(),
        glossary: args.glossary.load()?,
        limits: crate::serve::Limits {
            json_bytes: args.max_body,
            upload_bytes: args.max_upload,
            batch: args.max_batch,
            ..crate::serve::Limits::default()
        },
        spool,
        cache_bytes: args.cache_mb << 20,
    };
    crate::serve::run(cfg)?;
    Ok(ExitCode::SUCCESS)
}

/// Subcommands of `qantara token`.
#[derive(Debug, clap::Subcommand)]
pub enum TokenCommand {
    /// Make a token for a person and print it (once: only its hash is stored).
    Add {
        /// Whose token it is (one per person).
        name: String,
        /// What it may do.
        #[arg(long, value_enum)]
        role: Role,
        /// The token file.
        #[arg(long, value_name = "FILE", default_value = "qantara-tokens.tsv")]
        tokens: PathBuf,
    },
    /// List the tokens (names, roles, dates; never the tokens).
    List {
        /// The token file.
        #[arg(long, value_name = "FILE", default_value = "qantara-tokens.tsv")]
        tokens: PathBuf,
        /// Print JSON.
        #[arg(long)]
        json: bool,
    },
    /// Revoke a person's token (a running server refuses it at once).
    Revoke {
        /// Whose token.
        name: String,
        /// The token file.
        #[arg(long, value_name = "FILE", default_value = "qantara-tokens.tsv")]
        tokens: PathBuf,
    },
}

/// Runs `qantara token …`.
pub fn token(cmd: TokenCommand) -> anyhow::Result<ExitCode> {
    match cmd {
        TokenCommand::Add { name, role, tokens } => {
            let t = Tokens::add(&tokens, &name, role)?;
            outln!("{t}")?;
            eprintln!("token of {name} ({role}) added to {}; it is shown only now", tokens.display());
        }
        TokenCommand::List { tokens, json } => {
            let t = Tokens::load(&tokens)?;
            if json {
                outln!("{}", serde_json::to_string_pretty(t.entries())?)?;
            } else {
                for e in t.entries() {
                    outln!("{}\t{}\t{}", e.name, e.role, e.created)?;
                }
            }
        }
        TokenCommand::Revoke { name, tokens } => {
            Tokens::revoke(&tokens, &name)?;
            eprintln!("token of {name} revoked in {}", tokens.display());
        }
    }
    Ok(ExitCode::SUCCESS)
}
