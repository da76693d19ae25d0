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
    after_help = "Examples:\n  uvtool keygen --out-dir keys\n  uvtool jwk --cert keys/cert.pem\n  uvtool jwks keys/jwk.json other/jwk.json -o jwks.json\n\nExit codes: 0 success, 1 a definite no (invalid token, failed check), 2 usage error or unusable input."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Keygen(KeygenArgs),
    Cert(CertArgs),
    Jwk(JwkArgs),
    Jwks(JwksArgs),
    Completions(CompletionsArgs),
    Check(CheckArgs),
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

/// Lint keys, certificates and tokens against the platform's rules.
///
/// Give a JWK, a JWKS, a certificate (PEM/DER), a key (PEM/DER) or a token
/// file (- for stdin); several inputs are checked together, so a token with
/// the JWKS also gets the cross rules (kid in the set, signature, alg). Prints
/// one line per finding: level, rule id, where, what is wrong, and the fix;
/// then a summary. `--list-rules` shows every rule with its level and source.
///
/// Exit status: 0 no errors (warnings allowed), 1 errors (or warnings with
/// --strict), 2 an input cannot be read.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  uvtool check jwk.json\n  uvtool check token.txt jwks.json --issuer https://example.com --config MyConfig\n  uvtool check --upload jwk.json --strict\n  uvtool check --list-rules"
)]
pub struct CheckArgs {
    /// JWK, JWKS, certificate, key or token files (- for stdin)
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
