//! Command-line definition (clap derive): the `Cli`, the `Command` enum and
//! one `Args` struct per subcommand, and the argument groups several share
//! ([`KeyArgs`], [`ClockArgs`], [`OutArgs`], ...). Parsing only (values are parsed into
//! typed values by [`values`]); no behaviour.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use serde_json::Value;
use uvtool::policy::Profile;
use uvtool::token::Alg;

pub mod error;
pub mod hints;
pub mod values;

/// Parse the command line. The other tools' habits get the hint table's
/// tips (hints.rs); help and `--version` come back as clap's "errors" that
/// print on stdout.
pub fn parse(argv: &[std::ffi::OsString]) -> Result<Cli, clap::Error> {
    use clap::{CommandFactory, FromArgMatches};
    if let Some(e) = hints::single_dash(argv) {
        return Err(e);
    }
    let mut cmd = Cli::command();
    // Subcommands are deferred (built when used, see `Command`). When the
    // first argument names none of them (top-level help, `help verify`, a
    // typo), build them all so that help lists each one's summary;
    // `--version` needs none of them.
    let words = hints::words(argv);
    let named =
        hints::command_at(&cmd, &words).is_some_and(|i| cmd.find_subcommand(words[i]).is_some());
    if !named && !matches!(words.first(), Some(&"--version" | &"-V")) {
        cmd.build();
    }
    // Unknown flags and commands get the table's tip instead of clap's
    // nearest spelling, which often names another concept.
    let mut matches = cmd
        .try_get_matches_from_mut(argv)
        .map_err(|e| hints::rewrite(e, argv))?;
    Cli::from_arg_matches_mut(&mut matches).map_err(|e| e.format(&mut cmd))
}

/// Token-based user verification toolkit: RSA keys, test certificates,
/// JWK/JWKS, and signed JWTs for chat platforms such as Salesforce Enhanced Chat.
#[derive(Debug, Parser)]
#[command(
    name = "uvtool",
    // The package version, and the commit and its date in a git checkout
    // (build.rs).
    version = env!("UVTOOL_VERSION"),
    about,
    long_about = None,
    propagate_version = true,
    after_help = "Examples:\n  uvtool init demo\n  uvtool keygen --out-dir keys\n  uvtool mint --key keys/private.pem --sub user-123 \\\n      --iss https://example.com > token.jwt\n  uvtool verify --jwks keys/jwks.json \\\n      --auth-id MyConfig token.jwt\n  uvtool check keys/jwk.json token.jwt \\\n      --iss https://example.com\n\nThe official Java tool's command lines work unchanged\n(docs/MIGRATING.md has the native commands):\n  uvtool --generateJwt -kid 12345 -issuer ISS \\\n      -subject user1 -expiry 6000 \\\n      -privateKeyFile keys/private.pem\n  uvtool --generateJwk -kid 12345 \\\n      -publicKeyFile keys/public.pem \\\n      -publicCertFile keys/cert.pem\n\nExit codes: 0 success, 1 a definite no (invalid token, failed check), 2 usage error or unusable input."
)]
pub struct Cli {
    /// Colour text for people: verdicts, help and usage errors (auto: on a terminal, unless NO_COLOR, CLICOLOR=0 or TERM=dumb)
    #[arg(
        long,
        global = true,
        value_name = "WHEN",
        default_value = "auto",
        value_enum
    )]
    pub color: ColorWhen,
    #[command(subcommand)]
    pub command: Command,
}

/// `--color`'s values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, ValueEnum)]
pub enum ColorWhen {
    // (No doc comments: they would turn `[possible values: …]` into a list.)
    #[default]
    Auto,
    Always,
    Never,
}

/// The `--color` of a command line that may not parse (a usage error, or
/// help, is worded before clap hands back a `Cli`): the last `--color WHEN`
/// or `--color=WHEN` before `--`; `auto` when there is none or its value is
/// not one of the three.
pub fn color_in(argv: &[std::ffi::OsString]) -> ColorWhen {
    let mut when = ColorWhen::Auto;
    let mut args = argv.iter().skip(1).map(|a| a.to_str().unwrap_or(""));
    while let Some(a) = args.next() {
        let value = match a {
            "--" => break,
            "--color" => args.next(),
            _ => a.strip_prefix("--color="),
        };
        if let Some(v) = value {
            when = ColorWhen::from_str(v, false).unwrap_or(ColorWhen::Auto);
        }
    }
    when
}

// `defer`: a subcommand's arguments are built only when that subcommand is
// parsed or its help shown, not all twelve on every run (start-up cost).
#[derive(Debug, Subcommand)]
#[command(defer = true)]
pub enum Command {
    Init(InitArgs),
    Keygen(KeygenArgs),
    Cert(CertArgs),
    Jwk(JwkArgs),
    Jwks(JwksArgs),
    Mint(MintArgs),
    Verify(VerifyArgs),
    Decode(DecodeArgs),
    PlatformKey(PlatformKeyArgs),
    Check(CheckArgs),
    Serve(ServeArgs),
    Ui(UiArgs),
    Completions(CompletionsArgs),
    Man(ManArgs),
    Fixtures(FixturesArgs),
}

/// Make an RSA key pair, a self-signed test certificate, a JWK and a JWKS
///
/// Writes into --out-dir (created, with its parents, if missing):
///   private.pem  private key, PKCS#8, mode 0600 — keep it secret
///   public.pem   public key, SPKI
///   cert.pem     self-signed X.509 v3 certificate, sha256WithRSAEncryption
///   jwk.json     the JWK to upload in Setup (kty, kid, use, alg, n, e, x5c, x5t#S256)
///   jwks.json    the same key as a JWKS, for a keyset endpoint
///
/// Existing files are never replaced unless --force is given.
#[derive(Debug, Args)]
#[command(
    verbatim_doc_comment,
    mut_arg("now", |a| a.help("Fix the clock (certificate start): unix seconds or RFC 3339")),
    mut_arg("seed", |a| a.conflicts_with("subject")),
    after_help = "Examples:\n  uvtool keygen --out-dir keys\n  uvtool keygen --out-dir acme-keys --bits 3072 \\\n      --days 90 --subject \"CN=Acme chat test\" --alg RS512\n  uvtool keygen --out-dir fixture-keys --seed ci \\\n      --now 2026-01-01T00:00:00Z"
)]
pub struct KeygenArgs {
    /// Folder to write the files into (created, with its parents, if missing)
    #[arg(
        long,
        short = 'o',
        visible_alias = "out",
        value_name = "DIR",
        default_value = ".",
        value_parser = values::out_dir
    )]
    pub out_dir: PathBuf,
    /// RSA modulus size: 2048, 3072 or 4096 (below 2048 is refused: the
    /// platform's minimum, source: seed)
    #[arg(long, default_value_t = 2048, allow_hyphen_values = true, value_parser = values::bits)]
    pub bits: u32,
    #[command(flatten)]
    pub cert: CertFields,
    /// Key id for the JWK (default: the RFC 7638 thumbprint)
    #[arg(long)]
    pub kid: Option<String>,
    /// JWK "alg": RS256 or RS512 (what the platform accepts; source: WEB)
    #[arg(long, default_value = "RS256", value_parser = values::platform_alg())]
    pub alg: Alg,
    #[command(flatten)]
    pub replace: ForceArg,
    #[command(flatten)]
    pub derive: SeedArg,
    #[command(flatten)]
    pub clock: NowArg,
}

/// Issue a new self-signed certificate for an existing private key.
///
/// The key may be PEM or DER, PKCS#8 or PKCS#1 (as `openssl genrsa` makes),
/// or a private JWK. The certificate (PEM) goes to --out, or to stdout.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool cert --key keys/private.pem --days 90 \\\n      --out cert-90d.pem\n  openssl genrsa -out legacy.pem 2048\n  uvtool cert --key legacy.pem > legacy-cert.pem\n  uvtool jwk --key keys/private.pem --private \\\n      -o private-jwk.json\n  uvtool cert --key private-jwk.json \\\n      --subject \"CN=Acme\\, Inc\" -o acme-cert.pem"
)]
pub struct CertArgs {
    /// Private key file (PEM/DER, PKCS#8 or PKCS#1, or a private JWK), or - for stdin
    #[arg(long, value_name = "FILE", value_parser = values::file)]
    pub key: String,
    #[command(flatten)]
    pub cert: CertFields,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Export a JWK from a certificate and/or a key, or a key back to PEM.
///
/// Members: kty, kid, use ("sig"), alg, n, e (base64url, no padding) and, with
/// a certificate, x5c (standard base64 DER) and x5t#S256. Salesforce's
/// troubleshooting page (TS) lists x5c as required for the upload, so give
/// --cert for a key you will upload. With both --cert and --key they must
/// hold the same key. The kid defaults to the RFC 7638 thumbprint (or the
/// kid of a JWK given as --key).
///
/// --key also takes a JWK (public or private), so a JWK can be rebuilt (e.g.
/// with --cert to add x5c) or, with --to-pem, turned back into a PEM public
/// key (SPKI), or with --to-pem --private into a PKCS#8 private key.
///
/// --official-shape writes the JWK the official Java tool prints (the shape
/// of the documented sample, TS): kid, alg, use, kty, x5c, "y":"y", n, e,
/// "crv":"crv", "d":"d", "k":"k". The four placeholders are not key material.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool jwk --cert keys/cert.pem > jwk.json\n  uvtool jwk --cert keys/cert.pem --key keys/private.pem \\\n      --kid 2026-11 --alg RS512 -o rs512-jwk.json\n  uvtool jwk --key keys/private.pem --private \\\n      --alg RS512 -o private-jwk.json\n  uvtool jwk --key jwk.json --to-pem > public.pem\n  uvtool jwk --key private-jwk.json --to-pem --private \\\n      -o private.pem\n  uvtool jwk --cert keys/cert.pem --kid 12345 \\\n      --official-shape > official-jwk.json"
)]
pub struct JwkArgs {
    /// Certificate (PEM or DER; the first of a chain), or - for stdin
    #[arg(long, value_name = "FILE", value_parser = values::file, required_unless_present = "key")]
    pub cert: Option<String>,
    /// Public or private key: PEM, DER or a JWK; - for stdin
    #[arg(long, value_name = "FILE", value_parser = values::file)]
    pub key: Option<String>,
    /// Key id [default: the kid of a JWK --key, else the RFC 7638 thumbprint]
    #[arg(allow_hyphen_values = true, long)]
    pub kid: Option<String>,
    /// JWK "alg" [default: the alg of a JWK --key, else RS256]
    #[arg(long, value_parser = values::alg())]
    pub alg: Option<Alg>,
    /// Include the private members (needs a private --key); the file is written 0600
    #[arg(long, requires = "key")]
    pub private: bool,
    /// Write the key as PEM instead of a JWK: the public key (SPKI), or with --private the private key (PKCS#8)
    #[arg(long, visible_alias = "pem")]
    pub to_pem: bool,
    /// The official Java tool's JWK: its members in its order, with its placeholder members ("y":"y", "crv":"crv", "d":"d", "k":"k") and no x5t#S256; needs --cert
    #[arg(
        long,
        visible_alias = "like-official-tool",
        requires = "cert",
        conflicts_with_all = ["private", "to_pem"]
    )]
    pub official_shape: bool,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Assemble or edit a JWKS ({"keys":[…]}).
///
/// Inputs may be JWK files, JWKS files, certificates and public keys.
/// Duplicate kids and private members are refused. For key rotation, --set
/// edits an existing set: --add puts keys in, --remove takes a kid out, and
/// the file is replaced atomically (or the result goes to --out).
#[derive(Debug, Args)]
#[command(
    mut_arg("out", |a| a.help("Output file (default: stdout, or the --set file)")),
    after_help = "Examples:\n  uvtool keygen --out-dir next --kid 2026-11\n  uvtool jwks keys/jwk.json next/jwk.json -o jwks.json\n  uvtool jwks next/cert.pem > next-jwks.json\n  uvtool jwks --set keys/jwks.json --add next/jwk.json\n  uvtool jwks --set keys/jwks.json --remove 2026-11"
)]
pub struct JwksArgs {
    /// JWK, JWKS, certificate or public key files (- for stdin)
    #[arg(value_name = "FILE")]
    pub inputs: Vec<String>,
    /// An existing JWKS to edit (replaced atomically unless --out is given)
    #[arg(long, value_name = "JWKS")]
    pub set: Option<PathBuf>,
    /// Add the keys of this file (JWK, JWKS, certificate or public key)
    #[arg(long, value_name = "FILE")]
    pub add: Vec<String>,
    /// Remove the key with this kid (needs --set)
    #[arg(long, value_name = "KID", requires = "set")]
    pub remove: Vec<String>,
    /// "alg" for keys made from certificates or public keys
    #[arg(long, default_value = "RS256", value_parser = values::alg())]
    pub alg: Alg,
    #[command(flatten)]
    pub output: OutArgs,
}

/// Print shell completions.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool completions bash \\\n      > ~/.local/share/bash-completion/completions/uvtool\n  uvtool completions zsh > ~/.zfunc/_uvtool\n  uvtool completions fish \\\n      > ~/.config/fish/completions/uvtool.fish\n  uvtool man ~/.local/share/man/man1"
)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// Write the man pages (generated from this help, so they never drift).
///
/// With no DIR, prints uvtool.1 on stdout. With DIR, writes uvtool.1 and
/// uvtool-<command>.1 for every command into it (created, with its parents,
/// if missing); existing pages are replaced only with --force.
#[derive(Debug, Args)]
#[command(
    mut_arg("force", |a| a.help("Replace existing pages")),
    after_help = "Examples:\n  uvtool man | man -l -\n  uvtool man ~/.local/share/man/man1 && man uvtool-mint"
)]
pub struct ManArgs {
    /// Folder to write the pages into (e.g. ~/.local/share/man/man1)
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,
    #[command(flatten)]
    pub replace: ForceArg,
}

/// Serve a JWKS over HTTP for testing the keyset-endpoint flow.
///
/// Serves FILE at --path with Content-Type: application/json, Cache-Control
/// and an ETag (304 on If-None-Match); GET and HEAD only. The file is
/// followed: after a change (an atomic replace included) the next request
/// gets the new set; an invalid new file is logged and the last good set is
/// kept. Sets with private key members are refused.
///
/// Binds to loopback unless --allow-remote. The URL is printed on stdout
/// (one line, so scripts can read it; useful with --port 0) and the
/// server logs one line per request on stderr. Ctrl-C stops it.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool serve --jwks keys/jwks.json\n  uvtool serve --jwks keys/jwks.json --port 0 --quiet \\\n      > url.txt &\n  until [ -s url.txt ]; do sleep 0.1; done\n  uvtool verify --jwks-url \"$(cat url.txt)\" \"$TOKEN\""
)]
pub struct ServeArgs {
    /// The JWKS file to serve
    #[arg(long, value_name = "FILE")]
    pub jwks: PathBuf,
    /// Address to listen on (host:port); 0 as the port picks a free one
    #[arg(long, value_name = "HOST:PORT", default_value = "127.0.0.1:8080")]
    pub addr: String,
    /// Port to listen on (overrides the port of --addr; 0 picks a free one)
    #[arg(long, value_name = "N")]
    pub port: Option<u16>,
    /// URL path of the JWKS
    #[arg(long, value_name = "PATH", default_value = "/.well-known/jwks.json")]
    pub path: String,
    /// Allow listening on an address that is not loopback
    #[arg(long)]
    pub allow_remote: bool,
    /// Cache-Control max-age in seconds, 0 to 31536000 (a year)
    #[arg(long, value_name = "SECS", default_value_t = 60, value_parser = clap::value_parser!(u64).range(0..=values::MAX_MAX_AGE))]
    pub max_age: u64,
    /// Time a client has to send a request head (and we have to write a response)
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = values::timeout)]
    pub timeout: std::time::Duration,
    /// Connections served at once; more are answered 503
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub max_connections: u32,
    /// Do not log requests (reloads and problems are still logged)
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// A local, offline token debugger page in your browser.
///
/// Serves a page on loopback (127.0.0.1) where you paste a token, drop a
/// token file, or open URL#token=TOKEN (the fragment never reaches the
/// server), and see as you type: header and claims with human times, the
/// verdict under the platform profile and the RFC profile (the same reasons
/// and codes as `verify --json`), the `check` findings with their fixes,
/// the platform key, a timeline of iat/nbf/exp, now, the leeway and the
/// signing certificate's validity, and the key set.
///
/// Nothing leaves this machine: the page loads nothing from elsewhere, and
/// tokens are never written to disk or to the log. The URL is printed on
/// stdout (one line; --port 0 picks a free port). Ctrl-C stops it.
#[derive(Debug, Args)]
#[command(
    mut_arg("jwks_url", |a| a.help(
        "Keys from a JWKS URL: https://, or http:// on loopback. Fetched at start; a token with an unknown kid triggers a re-fetch"
    )),
    after_help = "Examples:\n  uvtool ui --jwks keys/jwks.json \\\n      --iss https://example.com --auth-id MyConfig --open\n  uvtool ui --cert keys/cert.pem --port 0\n  uvtool ui --jwks-url \\\n      https://example.com/.well-known/jwks.json"
)]
pub struct UiArgs {
    #[command(flatten)]
    pub keys: KeyArgs,
    #[command(flatten)]
    pub endpoint: JwksUrlArgs,
    #[command(flatten)]
    pub expect: IssArg,
    #[command(flatten)]
    pub auth_id: AuthIdArg,
    /// Port on 127.0.0.1; 0 picks a free one
    #[arg(long, value_name = "N", default_value_t = 8765)]
    pub port: u16,
    /// Open the page in the default browser
    #[arg(long)]
    pub open: bool,
    /// Do not log requests
    #[arg(long, short = 'q')]
    pub quiet: bool,
    #[command(flatten)]
    pub clock: ClockArgs,
}

/// The key-file flags of the commands that verify (`verify`, `ui`).
#[derive(Debug, Args)]
pub struct KeyArgs {
    /// Keys from a JWKS (or single JWK) file (repeatable)
    #[arg(long, value_name = "FILE", value_parser = values::file)]
    pub jwks: Vec<String>,
    /// Key from a certificate, PEM or DER (repeatable)
    #[arg(long, value_name = "FILE", value_parser = values::file)]
    pub cert: Vec<String>,
    /// Key from a public or private key file, PEM or DER (repeatable)
    #[arg(long, value_name = "FILE", value_parser = values::file)]
    pub key: Vec<String>,
}

impl KeyArgs {
    /// No key file given.
    pub fn is_empty(&self) -> bool {
        self.jwks.is_empty() && self.cert.is_empty() && self.key.is_empty()
    }
}

/// `--jwks-url` and how it is fetched (`verify`, `ui`).
#[derive(Debug, Args)]
pub struct JwksUrlArgs {
    /// Keys from a JWKS URL: https://, or http:// on loopback. Fetched once a
    /// run; a token with an unknown kid triggers one re-fetch
    #[arg(long, value_name = "URL", conflicts_with_all = ["jwks", "cert", "key"])]
    pub jwks_url: Option<String>,
    /// Connect and read timeout for --jwks-url
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = values::timeout)]
    pub timeout: std::time::Duration,
    /// Allow plain http:// to a host that is not loopback with --jwks-url
    #[arg(long)]
    pub insecure_http: bool,
}

/// `--now`: the clock of every command that reads or writes times. The
/// commands word its help for what the clock sets (`mut_arg`).
#[derive(Debug, Args)]
pub struct NowArg {
    /// Fix the clock: unix seconds or RFC 3339
    #[arg(allow_hyphen_values = true, long, value_name = "TIME", value_parser = values::clock_time)]
    pub now: Option<i64>,
}

impl NowArg {
    /// The clock: --now, or the system's.
    pub fn now(&self) -> i64 {
        self.now.unwrap_or_else(uvtool::clock::now)
    }
}

/// The clock of the commands that judge tokens (`verify`, `check`, `ui`).
#[derive(Debug, Args)]
pub struct ClockArgs {
    /// Clock-skew allowance for exp, nbf and iat
    #[arg(
        allow_hyphen_values = true,
        long,
        value_name = "DURATION",
        default_value = "60s",
        value_parser = values::leeway
    )]
    pub leeway: u64,
    #[command(flatten)]
    pub fixed: NowArg,
}

impl ClockArgs {
    /// The clock: --now, or the system's.
    pub fn now(&self) -> i64 {
        self.fixed.now()
    }
}

/// `--iss` of the commands that judge tokens (`verify`, `check`, `ui`).
#[derive(Debug, Args)]
pub struct IssArg {
    /// The issuer registered with the keyset; the token's iss must equal it exactly, case and trailing slash included (T4; sources SU, meta, field)
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "issuer",
        value_name = "ISS"
    )]
    pub iss: Option<String>,
}

/// `--auth-id`, when it is optional (`verify`, `check`, `ui`, `fixtures`).
/// `platform-key` requires it and `init` has a default: they declare their own.
#[derive(Debug, Args)]
pub struct AuthIdArg {
    /// {auth_id_info} of the platform key: the User Verification Configuration's name (field reports; checked against P1, source: meta)
    #[arg(long = "auth-id", id = "auth_id", visible_alias = "config", value_name = "NAME", value_parser = values::auth_id)]
    pub name: Option<String>,
}

/// The sub and iss of the tokens a command makes for you (`init`, `fixtures`).
#[derive(Debug, Args)]
pub struct MadeClaims {
    /// The sub of the tokens made (a user id)
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "subject",
        value_name = "SUB",
        default_value = "user-123"
    )]
    pub sub: String,
    /// The iss of the tokens made
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "issuer",
        value_name = "ISS",
        default_value = "https://example.com"
    )]
    pub iss: String,
}

/// `--seed` of the commands that make a key (`keygen`, `init`).
#[derive(Debug, Args)]
pub struct SeedArg {
    /// Derive the key from this text (reproducible demos and fixtures): the
    /// same seed gives the same files. The key is then public knowledge:
    /// never upload it
    #[arg(long, value_name = "TEXT")]
    pub seed: Option<String>,
}

/// The certificate's validity and subject (`keygen`, `cert`).
#[derive(Debug, Args)]
pub struct CertFields {
    /// Certificate validity in days (1 to 36500)
    #[arg(long, default_value_t = 365, allow_hyphen_values = true, value_parser = values::days)]
    pub days: i64,
    /// Certificate subject, e.g. "CN=Acme chat test,O=Acme"
    #[arg(long, default_value = "CN=uvtool test certificate")]
    pub subject: String,
}

/// `--out` and `--force` of the commands that write one file (`cert`, `jwk`, `jwks`).
#[derive(Debug, Args)]
pub struct OutArgs {
    /// Output file (default: stdout)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing output file
    #[arg(long)]
    pub force: bool,
}

/// `--force` of the commands that write several files (`keygen`, `init`,
/// `fixtures`, `man`).
#[derive(Debug, Args)]
pub struct ForceArg {
    /// Replace existing files
    #[arg(long)]
    pub force: bool,
}

/// Output of a batch mint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MintFormat {
    /// The compact token alone, one a line
    Token,
    /// {"sub":…,"token":…,"source":"FILE:LINE"} one a line
    Jsonl,
}

/// Sign a JWT (one, or one per line of --sub-file).
///
/// The key may be a PEM or DER private key (PKCS#8 or PKCS#1) or a private
/// JWK. The compact token goes to stdout, one line. Claims are placed in the
/// order iss, sub, aud, iat, nbf, exp, jti, then --claims and --claim.
/// iat defaults to now and exp to iat + --ttl (1h); --claim/--claims may
/// replace those defaults, but a claim given by its own flag and by --claim
/// is an error.
///
/// Batch: --sub-file FILE|- reads one sub a line (blank lines and # comments
/// skipped) and prints one token a line in the same order, streaming.
///
/// Users of the official Java tool: --subject, --issuer and --expiry SECONDS
/// are accepted as --sub, --iss and --ttl, and its own command line
/// (`uvtool --generateJwt -kid … -privateKeyFile …`) works unchanged.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool mint --key keys/private.pem --sub user-123 \\\n      --iss https://example.com --ttl 10m\n  uvtool jwk --key keys/private.pem --private \\\n      --alg RS512 -o private-jwk.json\n  uvtool mint --key private-jwk.json --sub user-123 \\\n      --iss https://example.com \\\n      --claim email=a@example.com \\\n      --claim 'roles=[\"x\"]'    # RS512: the JWK's alg\n  uvtool mint --key keys/private.pem \\\n      --iss https://example.com --sub-file users.txt \\\n      --now 2026-01-01T00:00:00Z \\\n      --format jsonl > fixtures.jsonl\n  uvtool mint --key keys/private.pem --sub user-123 \\\n      --iss https://example.com \\\n      --exp 2026-01-01T00:00:00Z --allow-expired\n  uvtool mint --key keys/private.pem --sub user-123 \\\n      --iss https://example.com --no-exp"
)]
pub struct MintArgs {
    /// Private key: PEM/DER (PKCS#8 or PKCS#1) or a private JWK; - for stdin
    #[arg(long, value_name = "FILE", value_parser = values::file)]
    pub key: String,
    /// Subject: the user id (the seed's example platform key ends uid:SUB)
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "subject",
        value_name = "SUB",
        conflicts_with = "sub_file"
    )]
    pub sub: Option<String>,
    /// Issuer, exactly as registered with the keyset (SU; case-sensitive: meta)
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "issuer",
        value_name = "ISS"
    )]
    pub iss: Option<String>,
    /// Audience; repeat for several (one gives a string, several an array)
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "audience",
        value_name = "AUD"
    )]
    pub aud: Vec<String>,
    /// Lifetime from iat: 90s, 10m, 1h, 7d, or seconds [default: 1h]
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "expiry",
        value_name = "DURATION",
        conflicts_with = "exp",
        value_parser = values::ttl
    )]
    pub ttl: Option<u64>,
    /// Absolute expiry: unix seconds or RFC 3339 (a lifetime is --ttl)
    #[arg(allow_hyphen_values = true, long, value_name = "TIME", value_parser = values::exp_time)]
    pub exp: Option<i64>,
    /// Leave exp out (a test fixture: the platform profile refuses such tokens, T5; so does the web client, source: client)
    #[arg(long, conflicts_with_all = ["exp", "ttl"])]
    pub no_exp: bool,
    /// Allow an exp at or before iat or now: an expired token on purpose (test fixtures)
    #[arg(long)]
    pub allow_expired: bool,
    /// Not-before: unix seconds or RFC 3339
    #[arg(allow_hyphen_values = true, long, value_name = "TIME", value_parser = values::fixed_time)]
    pub nbf: Option<i64>,
    /// Issued-at: unix seconds or RFC 3339 [default: now]
    #[arg(allow_hyphen_values = true, long, value_name = "TIME", value_parser = values::fixed_time)]
    pub iat: Option<i64>,
    /// Token id; "auto" makes a random one per token
    #[arg(allow_hyphen_values = true, long, value_name = "ID")]
    pub jti: Option<String>,
    /// Header kid [default: the kid of a JWK key file, else the key's RFC 7638 thumbprint]
    #[arg(allow_hyphen_values = true, long, conflicts_with = "no_kid")]
    pub kid: Option<String>,
    /// Leave kid out of the header
    #[arg(long)]
    pub no_kid: bool,
    /// Signature algorithm [default: the JWK's alg, else RS256]
    #[arg(long, value_parser = values::alg())]
    pub alg: Option<Alg>,
    /// Extra claim NAME=VALUE, VALUE taken as JSON when it parses (repeatable)
    #[arg(allow_hyphen_values = true, long, value_name = "NAME=VALUE", value_parser = values::claim)]
    pub claim: Vec<(String, Value)>,
    /// Extra claims from a JSON object file, or - for stdin
    #[arg(long, value_name = "FILE")]
    pub claims: Option<String>,
    /// Header typ ("" leaves it out)
    #[arg(long, default_value = "JWT")]
    pub typ: String,
    #[command(flatten)]
    pub clock: NowArg,
    /// Mint one token per line of FILE (- for stdin), in order
    #[arg(long, value_name = "FILE")]
    pub sub_file: Option<String>,
    /// Batch output format (with --sub-file) [default: token]
    #[arg(long, value_enum)]
    pub format: Option<MintFormat>,
}

/// Verify tokens against the platform's rules, and say why.
///
/// The verdict is the platform's by default (--profile platform): RS256 or
/// RS512 only, a kid naming a registered key, the key's own rules (x5c,
/// use, certificate validity), the signature, exp (required), nbf, iat, iss
/// (required; exact with --iss), sub (required). --profile rfc is a plain RFC
/// 7519/8725 verification for tokens meant for other systems: any RS*/PS*,
/// no sub or iss requirement. Every refusal names its rule (`uvtool check
/// --list-rules` lists them with their sources; docs/PLATFORM.md in uvtool's
/// repository explains each); warnings never change a verdict. Header
/// jwk/jku/x5u/x5c are never used to find a key.
///
/// With - (or no TOKEN) tokens are read from stdin; several lines give one
/// verdict line each, in order. Exit 0 when every token is valid, 1 when any
/// is invalid, 2 when the keys or the input cannot be used.
#[derive(Debug, Args)]
#[command(
    mut_arg("auth_id", |a| a.help(
        "Also print the platform key the seed gives as an example, v2/iamessage/AUTH/NAME/uid:<sub> (NAME fills {auth_id_info}: undocumented; field reports say the configuration's name)"
    )),
    after_help = "Examples:\n  uvtool verify --jwks keys/jwks.json \"$TOKEN\"\n  uvtool verify --cert keys/cert.pem \\\n      --iss https://example.com --auth-id MyConfig \"$TOKEN\"\n  uvtool serve --jwks keys/jwks.json --port 0 --quiet \\\n      > url.txt &\n  until [ -s url.txt ]; do sleep 0.1; done\n  uvtool verify --jwks-url \"$(cat url.txt)\" --show-jwks \\\n      \"$TOKEN\"\n  uvtool mint --key keys/private.pem \\\n      --iss https://example.com --sub-file users.txt |\n      uvtool verify --jwks keys/jwks.json --json -"
)]
pub struct VerifyArgs {
    /// Tokens, files holding tokens (one a line), or - for stdin [default: -].
    /// A `Bearer ` prefix and surrounding whitespace are ignored
    #[arg(value_name = "TOKEN")]
    pub tokens: Vec<String>,
    #[command(flatten)]
    pub keys: KeyArgs,
    /// Whose rules: the platform's, or a plain RFC 7519/8725 verification
    #[arg(long, default_value = "platform", value_parser = values::profile())]
    pub profile: Profile,
    /// Narrow the allowed algorithms (repeatable) [default: RS256 RS512;
    /// with --profile rfc every RS*/PS*]
    #[arg(long, value_delimiter = ',', value_parser = values::alg())]
    pub alg: Vec<Alg>,
    #[command(flatten)]
    pub clock: ClockArgs,
    /// Accept tokens without exp (--profile rfc only: the platform refuses them, T5; sources WEB, client)
    #[arg(long)]
    pub allow_no_exp: bool,
    #[command(flatten)]
    pub expect: IssArg,
    /// Required audience; the token's aud must include one of these (repeatable)
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "audience",
        value_name = "AUD"
    )]
    pub aud: Vec<String>,
    /// Required subject (exact match)
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "subject",
        value_name = "SUB"
    )]
    pub sub: Option<String>,
    /// A claim that must be present (repeatable)
    #[arg(long, value_name = "CLAIM")]
    pub require: Vec<String>,
    /// One JSON object per token on stdout
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub auth_id: AuthIdArg,
    #[command(flatten)]
    pub endpoint: JwksUrlArgs,
    /// Print each fetch of --jwks-url (status, type, size, time, body) on stderr
    #[arg(long)]
    pub show_jwks: bool,
}

/// Show a token's header and claims without verifying anything.
///
/// Times (exp, nbf, iat, auth_time) are also shown as UTC dates relative to
/// now. A notice on stderr says the signature was NOT verified. Tokens are
/// secrets: this reads them locally instead of pasting them into a web site.
#[derive(Debug, Args)]
#[command(
    mut_arg("now", |a| a.help("The clock for relative times: unix seconds or RFC 3339")),
    after_help = "Examples:\n  uvtool decode \"$TOKEN\"\n  pbpaste | uvtool decode --json - | jq .claims.sub"
)]
pub struct DecodeArgs {
    /// The token, a file of tokens one a line (each decoded), or - for stdin [default: -]
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// A line per token on stdout: {"source":…,"line":…,"header":…,"claims":…}
    #[arg(long)]
    pub json: bool,
    #[command(flatten)]
    pub clock: NowArg,
}

/// Print the seed's example platform key v2/iamessage/AUTH/{auth_id_info}/uid:{sub}.
///
/// The seed (Salesforce Help, "Understanding Token-Based User Verification")
/// says a verified user's key "might be" this; it does not say what fills
/// {auth_id_info}. Field reports say the User Verification Configuration's
/// name, given here as --auth-id (checked against rule P1, source meta).
///
/// The sub comes from --sub or from a token's sub claim (the token is
/// decoded, not verified). A sub that would make the key ambiguous (empty,
/// '/', whitespace, control characters) gets a warning (T8, an assumption).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool platform-key --auth-id MyConfig --sub user-123\n  uvtool platform-key --auth-id MyConfig --token \"$TOKEN\""
)]
pub struct PlatformKeyArgs {
    /// What fills {auth_id_info}: the User Verification Configuration's name (field reports; the seed does not say)
    #[arg(long = "auth-id", visible_alias = "config", value_name = "NAME", value_parser = values::auth_id)]
    pub config: String,
    /// The user id
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "subject",
        value_name = "SUB",
        required_unless_present = "token",
        conflicts_with = "token"
    )]
    pub sub: Option<String>,
    /// Take sub from this token (a token, a file holding one, or - for stdin)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
}

/// The whole workflow in a new folder: keys, JWK, JWKS, a verified sample token.
///
/// Makes an RSA-2048 key pair, a self-signed certificate, jwk.json and
/// jwks.json (as keygen does), mints a sample token (token.jwt), verifies it
/// against jwks.json and writes NEXT-STEPS.md: which file to upload where,
/// and how to mint and verify the next token. The sample token goes to
/// stdout; the report (its verdict, its platform key) to stderr.
/// A non-empty DIR is refused unless --force.
#[derive(Debug, Args)]
#[command(
    mut_arg("iss", |a| a.help("iss of the sample token (use the issuer you will register)")),
    mut_arg("force", |a| a.help("Work in a non-empty DIR, replacing files uvtool makes")),
    mut_arg("now", |a| a.help("Fix the clock (certificate start, sample token): unix seconds or RFC 3339")),
    after_help = "Examples:\n  uvtool init demo\n  uvtool init acme --sub alice --auth-id AcmeChat \\\n      --iss https://acme.example"
)]
pub struct InitArgs {
    /// Folder to create, with its parents (or an empty one)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    #[command(flatten)]
    pub claims: MadeClaims,
    /// {auth_id_info} of the platform key: your User Verification Configuration's name (field reports; a placeholder until you create yours)
    #[arg(
        long = "auth-id",
        visible_alias = "config",
        value_name = "NAME",
        default_value = "MyUserVerificationConfig",
        value_parser = values::auth_id
    )]
    pub config: String,
    #[command(flatten)]
    pub replace: ForceArg,
    #[command(flatten)]
    pub derive: SeedArg,
    #[command(flatten)]
    pub clock: NowArg,
}

/// Lint keys, certificates and tokens against the platform's rules (each with its source).
///
/// Give a JWK, a JWKS, a certificate (PEM/DER), a key (PEM/DER) or a token
/// file (- for stdin), or a keyset URL (https://, or http:// on loopback);
/// several inputs are checked together: a token is evaluated exactly as
/// `verify` does (same profile, same leeway) against every key given, and
/// its verdict is printed too. Prints one line per finding: level, rule id,
/// where, what is wrong, and the fix; then a summary. `--list-rules` shows
/// every rule with its level under each profile and its sources;
/// docs/PLATFORM.md in uvtool's repository explains each rule and source.
///
/// Exit status: 0 no errors (warnings allowed), 1 errors (or warnings with
/// --strict), 2 an input cannot be read.
#[derive(Debug, Args)]
#[command(
    mut_arg("leeway", |a| a.help("Clock-skew allowance for exp, nbf and iat (as `verify`)")),
    mut_arg("now", |a| a.help("Check as of this time (unix seconds or RFC 3339) instead of now")),
    // A bad name is a finding here (P1), not a usage error.
    mut_arg("auth_id", |a| a.value_parser(clap::value_parser!(String)).help(
        "{auth_id_info}: the User Verification Configuration's name (field reports); also print the platform key each token gives (seed: the key \"might be\" that). Checked against P1 as a finding"
    )),
    after_help = "Examples:\n  uvtool check keys/jwk.json\n  uvtool check token.jwt keys/jwks.json \\\n      --iss https://example.com --auth-id MyConfig\n  uvtool check --upload keys/jwk.json --strict\n  uvtool check https://example.com/.well-known/jwks.json\n  uvtool check --list-rules"
)]
pub struct CheckArgs {
    /// JWK, JWKS, certificate, key or token files (- for stdin), or keyset URLs
    #[arg(value_name = "INPUT", required_unless_present = "list_rules")]
    pub inputs: Vec<String>,
    #[command(flatten)]
    pub expect: IssArg,
    /// Whose rules: the platform's, or a plain RFC 7519/8725 verification (as `verify`)
    #[arg(long, default_value = "platform", value_parser = values::profile())]
    pub profile: Profile,
    #[command(flatten)]
    pub clock: ClockArgs,
    #[command(flatten)]
    pub auth_id: AuthIdArg,
    /// The key files are for the Setup upload form: a JWKS is then an error (K9; TS: "upload each key individually")
    #[arg(long)]
    pub upload: bool,
    /// One JSON object per input on stdout, with its findings (JSON Lines)
    #[arg(long)]
    pub json: bool,
    /// Count warnings as errors (exit 1)
    #[arg(long)]
    pub strict: bool,
    /// List the rules with their ids, levels and sources, and exit
    #[arg(long)]
    pub list_rules: bool,
}

/// Output of `fixtures`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum FixturesFormat {
    /// Files in DIR: keys, jwk.json, jwks.json, tokens/*.jwt, manifest.json
    Files,
    /// One JSON Lines stream (manifest header, then one line per file with its content)
    Jsonl,
}

/// Write reproducible test fixtures: seeded keys and tokens, valid and broken
///
/// Writes into DIR (created if missing):
///   private.pem, public.pem, cert.pem, jwk.json        the main key (RS256)
///   private-2.pem, public-2.pem, cert-2.pem, jwk-2.json a second key (RS512)
///   jwks.json       both keys
///   tokens/*.jwt    valid tokens, and one token per way to fail (expired,
///                   wrong iss, alg none, HS256 key confusion, tampered, ...)
///   manifest.json   each file: what it is, the `uvtool verify` arguments,
///                   the verdict expected under the platform and RFC
///                   profiles (valid, code, rule) and what it models
///
/// The same --seed and --now give byte-identical files on any machine. The
/// keys are derived from the seed, so they are public knowledge: use them in
/// tests only, never upload them. Existing files are replaced only with --force.
#[derive(Debug, Args)]
#[command(
    verbatim_doc_comment,
    mut_arg("now", |a| a.help("The clock: unix seconds or RFC 3339 [default: now; give it for reproducible output]")),
    mut_arg("iss", |a| a.help("Issuer of the tokens (and the --iss the manifest verifies with)")),
    mut_arg("auth_id", |a| a.help(
        "{auth_id_info}: the User Verification Configuration's name (field reports); the manifest gives each valid token's platform key (seed: the key \"might be\" that)"
    )),
    after_help = "Examples:\n  uvtool fixtures tests/fixtures --seed ci \\\n      --now 2026-01-01T00:00:00Z\n  uvtool fixtures - --format jsonl --seed ci \\\n      --now 2026-01-01T00:00:00Z > fixtures.jsonl\n  cd tests/fixtures && uvtool verify --json \\\n      --jwks jwks.json --now 1767225600 \\\n      tokens/expired.jwt"
)]
pub struct FixturesArgs {
    /// Folder to write into; - with --format jsonl writes the stream to stdout
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// Seed text the keys (and the PS256 salt) are derived from
    #[arg(long, value_name = "TEXT", default_value = "uvtool-fixtures")]
    pub seed: String,
    #[command(flatten)]
    pub clock: NowArg,
    #[command(flatten)]
    pub claims: MadeClaims,
    #[command(flatten)]
    pub auth_id: AuthIdArg,
    #[command(flatten)]
    pub replace: ForceArg,
    /// Output: files in DIR, or one JSON Lines stream
    #[arg(long, value_enum, default_value = "files")]
    pub format: FixturesFormat,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn color_is_found_before_parsing() {
        let argv =
            |s: &str| -> Vec<std::ffi::OsString> { s.split_whitespace().map(Into::into).collect() };
        for (line, want) in [
            ("uvtool keygen --bogus", ColorWhen::Auto),
            ("uvtool --color never keygen --bogus", ColorWhen::Never),
            ("uvtool keygen --bogus --color=always", ColorWhen::Always),
            ("uvtool --color never --color always x", ColorWhen::Always),
            ("uvtool --color purple keygen", ColorWhen::Auto),
            ("uvtool decode -- --color never", ColorWhen::Auto),
        ] {
            assert_eq!(color_in(&argv(line)), want, "{line}");
        }
    }
}
