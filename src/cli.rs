//! Command-line definition (clap derive): the `Cli`, the `Command` enum and
//! one `Args` struct per subcommand. Parsing only; no behaviour.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Token-based user verification toolkit: RSA keys, test certificates,
/// JWK/JWKS, and signed JWTs for chat platforms such as Salesforce Enhanced Chat.
#[derive(Debug, Parser)]
#[command(
    name = "uvtool",
    version,
    about,
    long_about = None,
    propagate_version = true,
    after_help = "Examples:\n  uvtool init demo\n  uvtool keygen --out-dir keys\n  uvtool mint --key keys/private.pem --sub user-123 --iss https://example.com > token.jwt\n  uvtool verify --jwks keys/jwks.json --config MyConfig token.jwt\n  uvtool check keys/jwk.json token.jwt --issuer https://example.com\n\nExit codes: 0 success, 1 a definite no (invalid token, failed check), 2 usage error or unusable input."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
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
    Completions(CompletionsArgs),
}

/// JWK `alg` values the platform accepts for keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
#[value(rename_all = "UPPER")]
pub enum KeyAlg {
    Rs256,
    Rs384,
    Rs512,
    Ps256,
    Ps384,
    Ps512,
}

impl KeyAlg {
    /// The JOSE name, e.g. `RS256`.
    pub fn as_str(self) -> &'static str {
        match self {
            KeyAlg::Rs256 => "RS256",
            KeyAlg::Rs384 => "RS384",
            KeyAlg::Rs512 => "RS512",
            KeyAlg::Ps256 => "PS256",
            KeyAlg::Ps384 => "PS384",
            KeyAlg::Ps512 => "PS512",
        }
    }
}

/// Make an RSA key pair, a self-signed test certificate, a JWK and a JWKS
///
/// Writes into --out-dir (created if missing; its parent must exist):
///   private.pem  private key, PKCS#8, mode 0600 — keep it secret
///   public.pem   public key, SPKI
///   cert.pem     self-signed X.509 v3 certificate, sha256WithRSAEncryption
///   jwk.json     the JWK to upload (kty, kid, use, alg, n, e, x5c, x5t#S256)
///   jwks.json    the same key as a JWKS, for a keyset endpoint
///
/// Existing files are never replaced unless --force is given.
#[derive(Debug, Args)]
#[command(
    verbatim_doc_comment,
    after_help = "Examples:\n  uvtool keygen --out-dir keys\n  uvtool keygen --out-dir keys --bits 3072 --days 90 --subject \"CN=Acme chat test\" --alg RS512"
)]
pub struct KeygenArgs {
    /// Folder to write the files into
    #[arg(long, value_name = "DIR", default_value = ".")]
    pub out_dir: PathBuf,
    /// RSA modulus size: 2048, 3072 or 4096 (below 2048 is refused)
    #[arg(long, default_value_t = 2048)]
    pub bits: u32,
    /// Certificate validity in days
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    /// Certificate subject, e.g. "CN=Acme chat test,O=Acme"
    #[arg(long, default_value = "CN=uvtool test certificate")]
    pub subject: String,
    /// Key id for the JWK (default: the RFC 7638 thumbprint)
    #[arg(long)]
    pub kid: Option<String>,
    /// JWK "alg": RS256 or RS512 (what the platform accepts)
    #[arg(long, default_value = "RS256", value_parser = ["RS256", "RS512"])]
    pub alg: String,
    /// Replace existing files
    #[arg(long)]
    pub force: bool,
}

/// Issue a new self-signed certificate for an existing private key.
///
/// The key may be PEM or DER, PKCS#8 or PKCS#1 (as `openssl genrsa` makes).
/// The certificate (PEM) goes to --out, or to stdout.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool cert --key private.pem --days 90 --out cert.pem\n  openssl genrsa -out legacy.pem 2048 && uvtool cert --key legacy.pem > cert.pem"
)]
pub struct CertArgs {
    /// Private key file (PEM/DER, PKCS#8 or PKCS#1), or - for stdin
    #[arg(long, value_name = "FILE")]
    pub key: String,
    /// Validity in days
    #[arg(long, default_value_t = 365)]
    pub days: u32,
    /// Subject, e.g. "CN=Acme chat test,O=Acme"
    #[arg(long, default_value = "CN=uvtool test certificate")]
    pub subject: String,
    /// Output file (default: stdout)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing output file
    #[arg(long)]
    pub force: bool,
}

/// Export a JWK from a certificate and/or a key.
///
/// Members: kty, kid, use ("sig"), alg, n, e (base64url, no padding) and, with
/// a certificate, x5c (standard base64 DER) and x5t#S256. The platform needs
/// x5c, so give --cert for a key you will upload. With both --cert and --key
/// they must hold the same key. The kid defaults to the RFC 7638 thumbprint.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool jwk --cert cert.pem > jwk.json\n  uvtool jwk --cert cert.pem --key private.pem --kid 2026-11 --alg RS512 -o jwk.json\n  uvtool jwk --key private.pem --private -o private-jwk.json"
)]
pub struct JwkArgs {
    /// Certificate (PEM or DER; the first of a chain), or - for stdin
    #[arg(long, value_name = "FILE", required_unless_present = "key")]
    pub cert: Option<String>,
    /// Public or private key (PEM or DER), or - for stdin
    #[arg(long, value_name = "FILE")]
    pub key: Option<String>,
    /// Key id (default: the RFC 7638 thumbprint)
    #[arg(long)]
    pub kid: Option<String>,
    /// JWK "alg"
    #[arg(long, value_enum, default_value = "RS256")]
    pub alg: KeyAlg,
    /// Include the private members (needs a private --key); the file is written 0600
    #[arg(long, requires = "key")]
    pub private: bool,
    /// Output file (default: stdout)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing output file
    #[arg(long)]
    pub force: bool,
}

/// Assemble or edit a JWKS ({"keys":[…]}).
///
/// Inputs may be JWK files, JWKS files, certificates and public keys.
/// Duplicate kids and private members are refused. For key rotation, --set
/// edits an existing set: --add puts keys in, --remove takes a kid out, and
/// the file is replaced atomically (or the result goes to --out).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool jwks old/jwk.json new/jwk.json -o jwks.json\n  uvtool jwks new/cert.pem > jwks.json\n  uvtool jwks --set jwks.json --add new/jwk.json\n  uvtool jwks --set jwks.json --remove 2025-old-kid"
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
    #[arg(long, value_enum, default_value = "RS256")]
    pub alg: KeyAlg,
    /// Output file (default: stdout, or the --set file)
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Replace an existing output file
    #[arg(long)]
    pub force: bool,
}

/// Print shell completions.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool completions bash > /etc/bash_completion.d/uvtool\n  uvtool completions zsh > ~/.zfunc/_uvtool"
)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
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
    after_help = "Examples:\n  uvtool serve --jwks keys/jwks.json\n  uvtool serve --jwks jwks.json --port 0 --quiet > url.txt &\n  uvtool verify --jwks-url http://127.0.0.1:8080/.well-known/jwks.json TOKEN"
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
    /// Cache-Control max-age in seconds
    #[arg(long, value_name = "SECS", default_value_t = 60)]
    pub max_age: u64,
    /// Time a client has to send a request head (and we have to write a response)
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_timeout)]
    pub timeout: std::time::Duration,
    /// Connections served at once; more are answered 503
    #[arg(long, value_name = "N", default_value_t = 256, value_parser = clap::value_parser!(u32).range(1..=10000))]
    pub max_connections: u32,
    /// Do not log requests (reloads and problems are still logged)
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

/// A timeout: a bare number is seconds, else a duration like `500ms`, `2s`.
pub fn parse_timeout(s: &str) -> Result<std::time::Duration, String> {
    let t = s.trim();
    let d = match t.parse::<f64>() {
        Ok(secs) if secs.is_finite() && secs >= 0.0 => std::time::Duration::from_secs_f64(secs),
        Ok(_) => return Err(format!("invalid timeout {s:?}")),
        Err(_) => humantime::parse_duration(t)
            .map_err(|e| format!("invalid timeout {s:?}: {e} (try 500ms, 2s or 10s)"))?,
    };
    if d.is_zero() {
        return Err("the timeout must be more than zero".into());
    }
    Ok(d)
}

/// Output of a batch mint.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MintFormat {
    /// The compact token alone, one a line
    Token,
    /// {"sub":…,"token":…} one a line
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
/// are accepted as --sub, --iss and --ttl.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool mint --key keys/private.pem --sub user-123 --iss https://example.com --ttl 10m\n  uvtool mint --key private-jwk.json --sub user-123 --alg RS512 --claim email=a@example.com --claim 'roles=[\"x\"]'\n  uvtool mint --key keys/private.pem --sub-file users.txt --now 2026-01-01T00:00:00Z --format jsonl > fixtures.jsonl"
)]
pub struct MintArgs {
    /// Private key: PEM/DER (PKCS#8 or PKCS#1) or a private JWK; - for stdin
    #[arg(long, value_name = "FILE")]
    pub key: String,
    /// Subject: the user id (becomes uid:SUB in the platform key)
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "subject",
        value_name = "SUB",
        conflicts_with = "sub_file"
    )]
    pub sub: Option<String>,
    /// Issuer, exactly as registered with the keyset
    #[arg(
        allow_hyphen_values = true,
        long,
        visible_alias = "issuer",
        value_name = "ISS"
    )]
    pub iss: Option<String>,
    /// Audience; repeat for several (one gives a string, several an array)
    #[arg(allow_hyphen_values = true, long, value_name = "AUD")]
    pub aud: Vec<String>,
    /// Lifetime from iat: 90s, 10m, 1h, 7d, or seconds [default: 1h]
    #[arg(
        long,
        visible_alias = "expiry",
        value_name = "DURATION",
        conflicts_with = "exp"
    )]
    pub ttl: Option<String>,
    /// Absolute expiry: unix seconds or RFC 3339
    #[arg(long, value_name = "TIME")]
    pub exp: Option<String>,
    /// Not-before: unix seconds or RFC 3339
    #[arg(long, value_name = "TIME")]
    pub nbf: Option<String>,
    /// Issued-at: unix seconds or RFC 3339 [default: now]
    #[arg(long, value_name = "TIME")]
    pub iat: Option<String>,
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
    #[arg(long, value_enum)]
    pub alg: Option<KeyAlg>,
    /// Extra claim NAME=VALUE, VALUE taken as JSON when it parses (repeatable)
    #[arg(allow_hyphen_values = true, long, value_name = "NAME=VALUE")]
    pub claim: Vec<String>,
    /// Extra claims from a JSON object file, or - for stdin
    #[arg(long, value_name = "FILE")]
    pub claims: Option<String>,
    /// Header typ ("" leaves it out)
    #[arg(long, default_value = "JWT")]
    pub typ: String,
    /// Fix the clock: unix seconds or RFC 3339 (reproducible fixtures)
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// Mint one token per line of FILE (- for stdin), in order
    #[arg(long, value_name = "FILE")]
    pub sub_file: Option<String>,
    /// Batch output format
    #[arg(long, value_enum, default_value = "token", requires = "sub_file")]
    pub format: MintFormat,
}

/// Verify tokens: signature, algorithm, kid, times and claims.
///
/// Checks, in order, stopping at the first failure: structure, algorithm
/// (none and HS* always refused; --alg allow-list; a JWK's own alg is
/// honoured), crit, kid lookup (no kid + one key: that key), signature, exp
/// (required unless --allow-no-exp), nbf, iat not in the future (all with
/// --leeway), --iss, --aud, --sub, --require. Header jwk/jku/x5u/x5c are
/// never used to find a key.
///
/// With - (or no TOKEN) tokens are read from stdin; several lines give one
/// verdict line each, in order. Exit 0 when every token is valid, 1 when any
/// is invalid, 2 when the keys or the input cannot be used.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool verify --jwks keys/jwks.json \"$TOKEN\"\n  uvtool verify --cert keys/cert.pem --iss https://example.com --config MyConfig \"$TOKEN\"\n  uvtool verify --jwks-url http://127.0.0.1:8080/.well-known/jwks.json --show-jwks \"$TOKEN\"\n  uvtool mint --key keys/private.pem --sub-file users.txt | uvtool verify --jwks keys/jwks.json --json -"
)]
pub struct VerifyArgs {
    /// The token, a file holding tokens, or - for stdin (one token a line) [default: -]
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// Keys from a JWKS (or single JWK) file (repeatable)
    #[arg(long, value_name = "FILE")]
    pub jwks: Vec<String>,
    /// Key from a certificate, PEM or DER (repeatable)
    #[arg(long, value_name = "FILE")]
    pub cert: Vec<String>,
    /// Key from a public or private key file, PEM or DER (repeatable)
    #[arg(long, value_name = "FILE")]
    pub key: Vec<String>,
    /// Allowed algorithms (repeatable) [default: RS256 RS384 RS512 PS256 PS384 PS512]
    #[arg(long, value_enum, value_delimiter = ',')]
    pub alg: Vec<KeyAlg>,
    /// Clock-skew allowance for exp, nbf and iat
    #[arg(long, value_name = "DURATION", default_value = "60s")]
    pub leeway: String,
    /// Accept tokens without exp
    #[arg(long)]
    pub allow_no_exp: bool,
    /// Required issuer (exact match)
    #[arg(allow_hyphen_values = true, long)]
    pub iss: Option<String>,
    /// Required audience; the token's aud must include one of these (repeatable)
    #[arg(allow_hyphen_values = true, long)]
    pub aud: Vec<String>,
    /// Required subject (exact match)
    #[arg(allow_hyphen_values = true, long)]
    pub sub: Option<String>,
    /// A claim that must be present (repeatable)
    #[arg(long, value_name = "CLAIM")]
    pub require: Vec<String>,
    /// Fix the clock: unix seconds or RFC 3339
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// One JSON object per token on stdout
    #[arg(long)]
    pub json: bool,
    /// Also print the platform key v2/iamessage/AUTH/NAME/uid:<sub>
    #[arg(long, value_name = "NAME")]
    pub config: Option<String>,
    /// Keys from a JWKS URL: https://, or http:// on loopback. Fetched once a
    /// run; a token with an unknown kid triggers one re-fetch
    #[arg(long, value_name = "URL", conflicts_with_all = ["jwks", "cert", "key"])]
    pub jwks_url: Option<String>,
    /// Connect and read timeout for --jwks-url
    #[arg(long, value_name = "DURATION", default_value = "10s", value_parser = parse_timeout)]
    pub timeout: std::time::Duration,
    /// Allow plain http:// to a host that is not loopback with --jwks-url
    #[arg(long)]
    pub insecure_http: bool,
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
    after_help = "Examples:\n  uvtool decode \"$TOKEN\"\n  pbpaste | uvtool decode --json - | jq .claims.sub"
)]
pub struct DecodeArgs {
    /// The token, a file holding it, or - for stdin [default: -]
    #[arg(value_name = "TOKEN")]
    pub token: Option<String>,
    /// {"header":…,"claims":…} on stdout
    #[arg(long)]
    pub json: bool,
    /// The clock for relative times: unix seconds or RFC 3339
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
}

/// Print the platform key v2/iamessage/AUTH/{config}/uid:{sub}.
///
/// The sub comes from --sub or from a token's sub claim (the token is
/// decoded, not verified). A sub that would make the key ambiguous (empty,
/// '/', whitespace, control characters) gets a warning.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool platform-key --config MyConfig --sub user-123\n  uvtool platform-key --config MyConfig --token \"$TOKEN\""
)]
pub struct PlatformKeyArgs {
    /// The user verification configuration's name in Setup
    #[arg(long, value_name = "NAME")]
    pub config: String,
    /// The user id
    #[arg(
        allow_hyphen_values = true,
        long,
        required_unless_present = "token",
        conflicts_with = "token"
    )]
    pub sub: Option<String>,
    /// Take sub from this token (a token, a file holding it, or - for stdin)
    #[arg(long, value_name = "TOKEN")]
    pub token: Option<String>,
}

/// The whole workflow in a new folder: keys, JWK, JWKS, a verified sample token.
///
/// Makes an RSA-2048 key pair, a self-signed certificate, jwk.json and
/// jwks.json (as keygen does), mints a sample token (token.jwt), verifies it
/// against jwks.json, prints its platform key and writes NEXT-STEPS.md:
/// which file to upload where, and how to mint and verify the next token.
/// A non-empty DIR is refused unless --force.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool init demo\n  uvtool init demo --sub alice --config AcmeChat --iss https://acme.example"
)]
pub struct InitArgs {
    /// Folder to create (or an empty one)
    #[arg(value_name = "DIR")]
    pub dir: PathBuf,
    /// sub of the sample token
    #[arg(allow_hyphen_values = true, long, default_value = "user-123")]
    pub sub: String,
    /// iss of the sample token (use the issuer you will register)
    #[arg(long, default_value = "https://example.com")]
    pub iss: String,
    /// User verification configuration name for the platform key (a placeholder until you create yours)
    #[arg(long, value_name = "NAME", default_value = "MyUserVerificationConfig")]
    pub config: String,
    /// Work in a non-empty DIR, replacing files uvtool makes
    #[arg(long)]
    pub force: bool,
}

/// Lint keys, certificates and tokens against the platform's rules.
///
/// Give a JWK, a JWKS, a certificate (PEM/DER), a key (PEM/DER) or a token
/// file (- for stdin), or a keyset URL (https://, or http:// on loopback);
/// several inputs are checked together, so a token with the JWKS also gets
/// the cross rules (kid in the set, signature, alg). Prints
/// one line per finding: level, rule id, where, what is wrong, and the fix;
/// then a summary. `--list-rules` shows every rule with its level and source.
///
/// Exit status: 0 no errors (warnings allowed), 1 errors (or warnings with
/// --strict), 2 an input cannot be read.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool check jwk.json\n  uvtool check token.txt jwks.json --issuer https://example.com --config MyConfig\n  uvtool check --upload jwk.json --strict\n  uvtool check https://example.com/.well-known/jwks.json\n  uvtool check --list-rules"
)]
pub struct CheckArgs {
    /// JWK, JWKS, certificate, key or token files (- for stdin), or keyset URLs
    #[arg(value_name = "INPUT", required_unless_present = "list_rules")]
    pub inputs: Vec<String>,
    /// The issuer registered with the keyset; the token's iss must equal it exactly (T4)
    #[arg(long, value_name = "ISS")]
    pub issuer: Option<String>,
    /// Name of the user verification configuration: also print the platform key each token gives
    #[arg(long, value_name = "NAME")]
    pub config: Option<String>,
    /// Check as of this time (unix seconds or RFC 3339) instead of now
    #[arg(long, value_name = "TIME")]
    pub now: Option<String>,
    /// The key files are for the Setup upload form: a JWKS is then an error (K9)
    #[arg(long)]
    pub upload: bool,
    /// Print the findings as a JSON array
    #[arg(long)]
    pub json: bool,
    /// Count warnings as errors (exit 1)
    #[arg(long)]
    pub strict: bool,
    /// List the rules with their ids, levels and sources, and exit
    #[arg(long)]
    pub list_rules: bool,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn cli_is_consistent() {
        Cli::command().debug_assert();
    }
}
