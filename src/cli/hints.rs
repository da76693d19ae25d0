//! The one hint table: the habits of other tools, pointed at uvtool's way.
//!
//! Clap suggests the most similar spelling it knows, which is often the wrong
//! concept (`--user` → `--issuer`, `encode` → `decode`). A table of the
//! spellings newcomers reach for (the flags and verbs of openssl, jwt-cli,
//! step and the official Java tool, natural English words) maps each to the
//! flag or command that does it; when an entry applies, its tip replaces
//! clap's. openssl's single-dash words (`-out`, `-in`, `-days`, `-subj`)
//! are refused with the tip before clap reads them, as clap would read
//! `-out` as `-o ut`. Wrong values have their tips where they are parsed
//! (values.rs: `--alg HS256`, `--exp +1h`; cmd/mint.rs: `--exp 600`).

use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::CommandFactory;

use crate::cli::Cli;

/// A wrong flag spelling and what to use instead. `wrong` is normalised:
/// lowercase, no leading dashes, no `-`/`_` inside. `right` lists long flag
/// names; the first the command has is suggested. `only` limits the entry to
/// some commands (empty: any).
pub struct FlagHint {
    pub wrong: &'static [&'static str],
    pub right: &'static [&'static str],
    pub only: &'static [&'static str],
    pub note: &'static str,
}

/// Wrong flag spellings → the flag (checked against the command, so a tip
/// never names a flag the command lacks).
pub const FLAG_HINTS: &[FlagHint] = &[
    FlagHint {
        wrong: &[
            "privatekey",
            "privatekeyfile",
            "privkey",
            "signingkey",
            "keyfile",
            "secret",
            "pem",
            "S",
        ],
        right: &["key"],
        only: &[],
        note: "the key file (PEM, DER or a JWK)",
    },
    FlagHint {
        wrong: &["publickey", "publickeyfile", "pubkey", "verificationkey"],
        right: &["key", "cert"],
        only: &[],
        note: "a public or private key file",
    },
    FlagHint {
        wrong: &[
            "certificate",
            "certfile",
            "publiccertfile",
            "x509",
            "crt",
            "x5c",
        ],
        right: &["cert"],
        only: &[],
        note: "the certificate file (PEM or DER)",
    },
    FlagHint {
        wrong: &[
            "jwk", "jwkfile", "jwkset", "keyset", "keys", "keyfile", "jwksfile",
        ],
        right: &["jwks"],
        only: &[],
        note: "a JWKS or a single JWK file",
    },
    FlagHint {
        wrong: &["jwk", "jwkfile", "jwks", "keyset", "jwksfile"],
        right: &["cert", "key"],
        only: &["jwk", "cert"],
        note: "this command reads a certificate (--cert) or a key (--key, which also takes a JWK)",
    },
    FlagHint {
        wrong: &[
            "jwksuri",
            "jwksurl",
            "jwkurl",
            "jwkuri",
            "url",
            "endpoint",
            "jku",
            "keyseturl",
        ],
        right: &["jwks-url"],
        only: &[],
        note: "the keyset endpoint's URL",
    },
    FlagHint {
        wrong: &["user", "userid", "uid", "username", "subject", "subj", "s"],
        right: &["sub"],
        only: &["mint", "verify", "platform-key", "init"],
        note: "the user id, the token's sub claim",
    },
    FlagHint {
        wrong: &["sub", "user", "userid", "dn", "cn", "subj"],
        right: &["subject"],
        only: &["keygen", "cert"],
        note: "the certificate's subject, e.g. \"CN=Acme chat test\"",
    },
    FlagHint {
        wrong: &["issuer", "iss", "i", "issuerurl", "from"],
        right: &["iss"],
        only: &[],
        note: "the issuer, exactly as registered with the keyset",
    },
    FlagHint {
        wrong: &["audience", "aud", "a", "to"],
        right: &["aud"],
        only: &[],
        note: "the audience",
    },
    FlagHint {
        wrong: &[
            "expiry",
            "expires",
            "expiresin",
            "lifetime",
            "duration",
            "validity",
            "valid",
            "ttl",
            "maxage",
        ],
        right: &["ttl", "days"],
        only: &["mint", "keygen", "cert"],
        note: "a lifetime: --ttl 10m for a token, --days 365 for a certificate",
    },
    FlagHint {
        wrong: &["expiration", "expiresat", "expat", "e", "notafter"],
        right: &["exp", "days"],
        only: &["mint", "keygen", "cert"],
        note: "the expiry time (or a lifetime with --ttl)",
    },
    FlagHint {
        wrong: &["notbefore", "n"],
        right: &["nbf"],
        only: &[],
        note: "not-before, unix seconds or RFC 3339",
    },
    FlagHint {
        wrong: &["issuedat", "issued"],
        right: &["iat"],
        only: &[],
        note: "issued-at, unix seconds or RFC 3339",
    },
    FlagHint {
        wrong: &["keyid", "keyidentifier", "k"],
        right: &["kid"],
        only: &[],
        note: "the key id",
    },
    FlagHint {
        wrong: &["algorithm", "algo", "algorithms", "signingalg"],
        right: &["alg"],
        only: &[],
        note: "the algorithm, e.g. --alg RS256",
    },
    FlagHint {
        wrong: &["output", "outfile", "outputfile", "o", "write", "save"],
        right: &["out", "out-dir"],
        only: &[],
        note: "where to write (default: stdout)",
    },
    FlagHint {
        wrong: &["dir", "outdir", "directory", "folder", "outputdir", "path"],
        right: &["out-dir"],
        only: &["keygen"],
        note: "the folder to write into",
    },
    FlagHint {
        wrong: &["payload", "p", "data", "extra", "addclaim", "set"],
        right: &["claim"],
        only: &["mint"],
        note: "one extra claim NAME=VALUE (repeatable); --claims FILE takes a JSON object",
    },
    FlagHint {
        wrong: &["claimsfile", "payloadfile", "datafile"],
        right: &["claims"],
        only: &["mint"],
        note: "a JSON object file of extra claims",
    },
    FlagHint {
        wrong: &["claim", "requireclaim", "required", "requires"],
        right: &["require"],
        only: &["verify"],
        note: "a claim the token must have (repeatable)",
    },
    FlagHint {
        wrong: &[
            "subs",
            "subjects",
            "users",
            "userfile",
            "usersfile",
            "subjectfile",
            "batch",
            "subsfile",
        ],
        right: &["sub-file"],
        only: &["mint"],
        note: "one sub a line, one token a line out",
    },
    FlagHint {
        wrong: &[
            "configname",
            "configuration",
            "uvconfig",
            "authidentifier",
            "authidinfo",
        ],
        right: &["config"],
        only: &[],
        note: "the user verification configuration's name",
    },
    FlagHint {
        wrong: &["skew", "clockskew", "tolerance", "grace"],
        right: &["leeway"],
        only: &[],
        note: "the clock-skew allowance, e.g. --leeway 2m",
    },
    FlagHint {
        wrong: &["time", "at", "clock", "date", "asof"],
        right: &["now"],
        only: &[],
        note: "fix the clock: unix seconds or RFC 3339",
    },
    FlagHint {
        wrong: &["keysize", "size", "bit", "length", "modulus"],
        right: &["bits"],
        only: &[],
        note: "the RSA key size: 2048, 3072 or 4096",
    },
    FlagHint {
        wrong: &["overwrite", "replace", "yes", "y", "f", "clobber"],
        right: &["force"],
        only: &[],
        note: "replace existing files",
    },
    FlagHint {
        wrong: &["topem", "pem", "aspem", "exportpem", "pemout"],
        right: &["to-pem"],
        only: &["jwk"],
        note: "write the key as PEM instead of a JWK",
    },
    FlagHint {
        wrong: &["includeprivate", "withprivate", "secretmembers", "d"],
        right: &["private"],
        only: &[],
        note: "include the private members",
    },
    FlagHint {
        wrong: &["listen", "bind", "host", "address"],
        right: &["addr"],
        only: &[],
        note: "the address to listen on, host:port",
    },
    FlagHint {
        wrong: &["file", "input", "in", "jwksfile"],
        right: &["jwks"],
        only: &["serve"],
        note: "the JWKS file to serve",
    },
    FlagHint {
        wrong: &["in", "infile", "inkey", "signkey"],
        right: &["key"],
        only: &["cert", "mint"],
        note: "the private key file (PEM, DER or a JWK)",
    },
    FlagHint {
        wrong: &["in", "infile", "pubin"],
        right: &["cert", "key"],
        only: &["jwk"],
        note: "the certificate (--cert) or the key (--key) to export",
    },
    FlagHint {
        // jwt-cli: -A ALG, -P NAME=VALUE, -j JTI.
        wrong: &["A"],
        right: &["alg"],
        only: &[],
        note: "the algorithm, e.g. --alg RS256",
    },
    FlagHint {
        wrong: &["P"],
        right: &["claim"],
        only: &["mint"],
        note: "one extra claim NAME=VALUE (repeatable)",
    },
    FlagHint {
        wrong: &["j"],
        right: &["jti"],
        only: &["mint"],
        note: "the token id (\"auto\" makes a random one)",
    },
    FlagHint {
        // step: --not-before/--not-after on certificates.
        wrong: &["notbefore"],
        right: &["now"],
        only: &["keygen", "cert"],
        note: "the certificate starts at --now (default: now) and lasts --days",
    },
];

/// Flags a command does not have because it works another way: (commands,
/// normalised spellings, what to do instead).
pub const NOTE_HINTS: &[(&[&str], &[&str], &str)] = &[
    (
        // step crypto keypair --kty/--crv/--size; openssl genpkey -algorithm.
        &["keygen", "init", "fixtures"],
        &["kty", "crv", "curve", "type", "keytype", "algorithm"],
        "uvtool makes RSA keys only (what the platform takes, K2; source: WEB); choose the size with --bits",
    ),
    (
        // step --no-password --insecure; openssl -nodes, -passout.
        &["keygen", "init", "cert"],
        &["nopassword", "insecure", "nodes", "noenc", "passout", "pass", "password"],
        "uvtool never encrypts a private key: private.pem is written unencrypted with mode 0600 (keep it secret)",
    ),
    (
        // openssl req -new -x509 -newkey -keyout.
        &["keygen", "cert", "init"],
        &["new", "x509", "newkey", "keyout", "req", "sha256"],
        "uvtool keygen makes the key pair, the self-signed certificate (sha256WithRSAEncryption), the JWK and the JWKS in one go (`uvtool keygen --out-dir keys`); uvtool cert makes a certificate for an existing key",
    ),
    (
        &["jwk", "cert", "keygen"],
        &["pubout", "noout", "text", "outform", "inform"],
        "openssl's output options have no uvtool twin: uvtool jwk --key KEY --to-pem writes the public key as PEM, and uvtool decode / uvtool check show what a file holds",
    ),
    (
        &["mint", "verify", "decode", "check", "platform-key", "completions"],
        &["o", "out", "output", "outfile", "outputfile"],
        "this command prints on stdout: redirect it, e.g. `> token.jwt`",
    ),
    (
        &["init"],
        &["outdir", "dir", "o", "out", "output", "directory"],
        "init takes the folder as its argument: `uvtool init DIR`",
    ),
    (
        &["verify", "decode"],
        &["token", "jwt", "t", "file", "in", "input"],
        "give the token (or a file of tokens, or - for stdin) as the argument: `uvtool verify --jwks jwks.json TOKEN`",
    ),
    (
        &["check"],
        &["jwk", "jwks", "cert", "key", "token", "file", "input"],
        "check takes its inputs as arguments: `uvtool check jwk.json token.jwt`",
    ),
];

/// Wrong verbs → the command. Lowercase, compared without `-`/`_`.
pub const COMMAND_HINTS: &[(&[&str], &str, &str)] = &[
    (
        &[
            "encode",
            "sign",
            "create",
            "issue",
            "token",
            "jwt",
            "new",
            "generatetoken",
            "gentoken",
            "signjwt",
        ],
        "mint",
        "signs a JWT",
    ),
    (
        &[
            "generate",
            "gen",
            "genkey",
            "genrsa",
            "keys",
            "key",
            "newkey",
            "keypair",
            "createkey",
            "generatekey",
            "generatekeys",
        ],
        "keygen",
        "makes an RSA key pair, a certificate, a JWK and a JWKS",
    ),
    (
        &["validate", "verifytoken", "checktoken", "validatetoken"],
        "verify",
        "verifies tokens (`check` lints keys and tokens against the platform's rules)",
    ),
    (
        &[
            "inspect", "show", "parse", "view", "dump", "print", "read", "info",
        ],
        "decode",
        "shows a token's header and claims without verifying",
    ),
    (
        &[
            "lint",
            "preflight",
            "doctor",
            "audit",
            "validatejwks",
            "validatejwk",
        ],
        "check",
        "lints JWKs, JWKS, certificates and tokens against the platform's rules",
    ),
    (
        &["server", "host", "http", "endpoint", "servejwks"],
        "serve",
        "serves a JWKS over HTTP on loopback",
    ),
    (
        &["completion", "complete", "autocomplete", "shellcompletions"],
        "completions",
        "prints shell completions",
    ),
    (
        &["manpage", "manual", "mangen"],
        "man",
        "writes the man pages",
    ),
    (
        &["setup", "quickstart", "start", "bootstrap", "demo"],
        "init",
        "runs the whole workflow in a new folder",
    ),
    (
        &["certificate", "x509", "selfsigned", "req", "mkcert"],
        "cert",
        "makes a self-signed certificate for a key",
    ),
    (
        &["jwkset", "keyset", "set"],
        "jwks",
        "assembles or edits a JWKS",
    ),
    (
        &["platformkey", "keyname", "userkey", "messagingkey", "pkey"],
        "platform-key",
        "prints v2/iamessage/AUTH/{auth_id_info}/uid:{sub}",
    ),
    (
        &["export", "tojwk", "pem2jwk", "convert", "pkey", "rsa"],
        "jwk",
        "exports a JWK from a certificate or key (and a JWK back to PEM with --to-pem)",
    ),
    (
        // openssl genpkey; step crypto keypair.
        &["genpkey"],
        "keygen",
        "makes an RSA key pair, a certificate, a JWK and a JWKS",
    ),
];

/// Verbs of step's two-word commands (`step crypto jwt sign`), whose first
/// word is not uvtool's: the tip names each pair's uvtool command.
const STEP: (&str, &str) = (
    "crypto",
    "step's `crypto jwt sign` is `uvtool mint`, `crypto jwt verify` is `uvtool verify`, `crypto jwt inspect` is `uvtool decode`, `crypto jwk create` and `crypto keypair` are `uvtool keygen`",
);

/// The official tool's spellings that are not exactly `--generateJwt` /
/// `--generateJwk` (those run the official-tool mode before clap).
const OFFICIAL: [(&str, &str, &str); 2] = [
    (
        "generatejwt",
        "--generateJwt",
        "-kid KID -issuer ISS -subject SUB -expiry SECONDS -privateKeyFile FILE",
    ),
    (
        "generatejwk",
        "--generateJwk",
        "-kid KID -publicKeyFile FILE -publicCertFile FILE",
    ),
];

fn normalise(s: &str) -> String {
    let s = s.split('=').next().unwrap_or(s);
    s.trim_start_matches('-')
        .chars()
        .filter(|c| *c != '-' && *c != '_')
        .flat_map(char::to_lowercase)
        .collect()
}

/// The command named on the command line, if any.
fn subcommand<'a>(root: &'a clap::Command, argv: &[OsString]) -> Option<&'a clap::Command> {
    argv.iter()
        .skip(1)
        .filter_map(|a| a.to_str())
        .find(|a| !a.starts_with('-'))
        .and_then(|name| root.find_subcommand(name))
}

fn has_flag(cmd: &clap::Command, long: &str) -> bool {
    cmd.get_arguments().any(|a| {
        a.get_long() == Some(long) || a.get_all_aliases().is_some_and(|v| v.contains(&long))
    })
}

/// The tip for a wrong flag `wrong` (as typed) given to `cmd`.
pub fn flag_tip(cmd: &clap::Command, wrong: &str) -> Option<String> {
    let n = normalise(wrong);
    if let Some((_, right, args)) = OFFICIAL.iter().find(|(w, _, _)| *w == n) {
        return Some(format!(
            "the official tool's invocation is `uvtool {right} {args}` (exactly that spelling, before any command); uvtool's own is `uvtool {}`",
            if *right == "--generateJwt" { "mint" } else { "jwk" }
        ));
    }
    let name = cmd.get_name();
    // A short flag keeps its case (-S and -s differ); a word is compared loosely.
    let short = wrong.len() == 2 && wrong.starts_with('-') && !wrong.starts_with("--");
    for h in FLAG_HINTS {
        if !h.only.is_empty() && !h.only.contains(&name) {
            continue;
        }
        // One letter: a short flag as typed, case and all (-S is not -s).
        let hit = h.wrong.iter().any(|w| {
            if w.len() == 1 {
                short && wrong.strip_prefix('-') == Some(*w)
            } else {
                !short && *w == n
            }
        });
        if !hit {
            continue;
        }
        if let Some(r) = h.right.iter().find(|r| has_flag(cmd, r)) {
            if normalise(r) == n && !short {
                continue; // it is the right name: the problem is elsewhere
            }
            return Some(format!(
                "use '--{r}': {} (see `uvtool {name} --help`)",
                h.note
            ));
        }
    }
    for (cmds, wrongs, note) in NOTE_HINTS {
        let hit = wrongs.iter().any(|w| {
            if w.len() == 1 {
                short && wrong.strip_prefix('-') == Some(*w)
            } else {
                !short && *w == n
            }
        });
        if cmds.contains(&name) && hit {
            return Some((*note).to_string());
        }
    }
    if wrong
        .strip_prefix('-')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Some(format!(
            "{wrong} looks like a negative number; the flag before it takes no negative value (see `uvtool {name} --help`)"
        ));
    }
    None
}

/// The tip for a wrong command name.
pub fn command_tip(wrong: &str) -> Option<String> {
    let n = normalise(wrong);
    if let Some((_, right, args)) = OFFICIAL.iter().find(|(w, _, _)| *w == n) {
        return Some(format!(
            "the official tool's invocation is `uvtool {right} {args}`; uvtool's own is `uvtool {}`",
            if *right == "--generateJwt" { "mint" } else { "jwk" }
        ));
    }
    if n == STEP.0 {
        return Some(STEP.1.to_string());
    }
    let root = Cli::command();
    COMMAND_HINTS
        .iter()
        .find(|(w, right, _)| w.contains(&n.as_str()) && root.find_subcommand(right).is_some())
        .map(|(_, right, what)| format!("use 'uvtool {right}', which {what}"))
}

/// Replace clap's suggestion with the table's, when the table knows better.
pub fn rewrite(e: clap::Error, argv: &[OsString]) -> clap::Error {
    // Help, `--version` and other errors pass as they are.
    if !matches!(
        e.kind(),
        ErrorKind::UnknownArgument | ErrorKind::InvalidSubcommand
    ) {
        return e;
    }
    // Subcommands are deferred (built when used): build them all here, on
    // the error path, so their flags can be looked up.
    let mut root = Cli::command();
    root.build();
    let tip = match e.kind() {
        ErrorKind::UnknownArgument => {
            let Some(ContextValue::String(wrong)) = e.get(ContextKind::InvalidArg) else {
                return e;
            };
            // `-privateKeyFile` is read by clap as the short flag `-p`: look
            // at the whole word as typed.
            let word = if wrong.len() == 2 && !wrong.starts_with("--") {
                argv.iter()
                    .filter_map(|a| a.to_str())
                    .find(|a| a.starts_with(wrong.as_str()) && !a.starts_with("--"))
                    .unwrap_or(wrong)
                    .to_string()
            } else {
                wrong.clone()
            };
            let cmd = subcommand(&root, argv).unwrap_or(&root);
            flag_tip(cmd, &word).or_else(|| {
                // A flag where a command is expected: `uvtool --generatejwt`.
                std::ptr::eq(cmd, &root)
                    .then(|| command_tip(&word))
                    .flatten()
            })
        }
        ErrorKind::InvalidSubcommand => {
            let Some(ContextValue::String(wrong)) = e.get(ContextKind::InvalidSubcommand) else {
                return e;
            };
            command_tip(wrong)
        }
        _ => None,
    };
    let Some(tip) = tip else { return e };
    with_tip(&e, &root, argv, tip)
}

/// `e` with `tip` in place of clap's suggestions, and the usage line made
/// afresh (clap's names the arguments it suggested).
fn with_tip(e: &clap::Error, root: &clap::Command, argv: &[OsString], tip: String) -> clap::Error {
    let mut cmd = subcommand(root, argv).unwrap_or(root).clone();
    let usage = cmd.render_usage();
    let mut out = clap::Error::new(e.kind()).with_cmd(&cmd);
    for (k, v) in e.context() {
        if !matches!(
            k,
            ContextKind::SuggestedArg
                | ContextKind::SuggestedSubcommand
                | ContextKind::SuggestedCommand
                | ContextKind::Suggested
                | ContextKind::Usage
        ) {
            out.insert(k, v.clone());
        }
    }
    out.insert(ContextKind::Usage, ContextValue::StyledStr(usage));
    out.insert(
        ContextKind::Suggested,
        ContextValue::StyledStrs(vec![tip.into()]),
    );
    out
}

/// A word with one dash that is not a short flag: `-out`, `-in`, `-days`,
/// `-subj` (openssl's spelling), or a flag of this command written with one
/// dash. When the command has a short flag of the same first letter, clap
/// would read `-out` as `-o ut` and write into `./ut/`; otherwise it would
/// say `-d` is unknown with no tip. Refused here, before clap, with the
/// flag to use. A value (after a flag that takes one) and anything after
/// `--` are left alone.
pub fn single_dash(argv: &[OsString]) -> Option<clap::Error> {
    // The cheap scan first: most command lines have no such word.
    let candidate = |a: &str| {
        let b = a.as_bytes();
        b.len() >= 3 && b[0] == b'-' && b[1].is_ascii_alphabetic()
    };
    let args: Vec<&str> = argv
        .iter()
        .skip(1)
        .map(|a| a.to_str().unwrap_or(""))
        .take_while(|a| *a != "--")
        .collect();
    if !args.iter().any(|a| candidate(a)) {
        return None;
    }
    let mut root = Cli::command();
    root.build();
    let name = args.iter().find(|a| !a.starts_with('-'))?;
    let cmd = root.find_subcommand(name)?;
    let at = args.iter().position(|a| a == name)?;
    let mut after_flag = false;
    for a in &args[at + 1..] {
        let value_here = std::mem::take(&mut after_flag);
        if value_here {
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            after_flag = !long.contains('=') && takes_value(cmd, Some(long), None);
            continue;
        }
        if a.len() == 2 && a.starts_with('-') {
            after_flag = a
                .chars()
                .nth(1)
                .is_some_and(|c| takes_value(cmd, None, Some(c)));
            continue;
        }
        if !candidate(a) {
            continue;
        }
        if let Some(tip) = single_dash_tip(cmd, a) {
            let mut e = clap::Error::new(ErrorKind::UnknownArgument).with_cmd(cmd);
            e.insert(ContextKind::InvalidArg, ContextValue::String(a.to_string()));
            return Some(with_tip(&e, &root, argv, tip));
        }
    }
    None
}

/// Whether the flag `--long` or `-short` of `cmd` takes a value.
fn takes_value(cmd: &clap::Command, long: Option<&str>, short: Option<char>) -> bool {
    cmd.get_arguments()
        .find(|a| match (long, short) {
            (Some(l), _) => {
                a.get_long() == Some(l) || a.get_all_aliases().is_some_and(|v| v.contains(&l))
            }
            (_, Some(c)) => a.get_short() == Some(c),
            _ => false,
        })
        .is_some_and(|a| a.get_action().takes_values())
}

/// The tip for `-word` given to `cmd`, when the word is a flag of the
/// command or an entry of the table.
pub fn single_dash_tip(cmd: &clap::Command, word: &str) -> Option<String> {
    let bare = word.trim_start_matches('-');
    let bare = bare.split('=').next().unwrap_or(bare);
    // How clap would read it: `-out` as `-o ut` when -o takes a value.
    let first = bare.chars().next()?;
    let read_as = cmd
        .get_arguments()
        .find(|a| a.get_short() == Some(first))
        .map(|a| {
            if a.get_action().takes_values() {
                format!(
                    " (with one dash it is read as -{first} {})",
                    bare.get(first.len_utf8()..).unwrap_or_default()
                )
            } else {
                String::new()
            }
        })
        .unwrap_or_default();
    let own = cmd.get_arguments().find(|a| {
        a.get_long() == Some(bare) || a.get_all_aliases().is_some_and(|v| v.contains(&bare))
    });
    let tip = match own.and_then(|a| a.get_long()) {
        Some(long) => format!("use '--{long}': uvtool's long flags take two dashes"),
        None => {
            let t = flag_tip(cmd, &format!("--{bare}"))?;
            if t.starts_with("use '--") {
                format!("{t}; uvtool's long flags take two dashes")
            } else {
                t
            }
        }
    };
    Some(format!("{tip}{read_as}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_tip_names_something_that_exists() {
        let mut root = Cli::command();
        root.build();
        for h in FLAG_HINTS {
            for r in h.right {
                assert!(
                    root.get_subcommands().any(|c| has_flag(c, r)),
                    "--{r} is no command's flag"
                );
            }
            for only in h.only {
                assert!(root.find_subcommand(only).is_some(), "{only}");
            }
            for w in h.wrong {
                assert!(w.len() == 1 || normalise(w) == *w, "{w} is not normalised");
            }
        }
        for (wrong, right, _) in COMMAND_HINTS {
            assert!(root.find_subcommand(right).is_some(), "{right}");
            for w in *wrong {
                assert!(root.find_subcommand(w).is_none(), "{w} is a real command");
            }
        }
    }

    #[test]
    fn tips_point_the_right_way() {
        let mut root = Cli::command();
        root.build();
        let mint = root.find_subcommand("mint").unwrap();
        assert!(flag_tip(mint, "--private-key").unwrap().contains("'--key'"));
        assert!(flag_tip(mint, "--user").unwrap().contains("'--sub'"));
        assert!(flag_tip(mint, "-S").unwrap().contains("'--key'"));
        assert!(flag_tip(mint, "-s").unwrap().contains("'--sub'"));
        assert!(flag_tip(mint, "--unheard-of").is_none());
        let jwk = root.find_subcommand("jwk").unwrap();
        assert!(!flag_tip(jwk, "--jwks").unwrap().contains("'--jwks'"));
        assert!(command_tip("encode").unwrap().contains("mint"));
        assert!(command_tip("Generate").unwrap().contains("keygen"));
        assert!(command_tip("--generateJWT")
            .unwrap()
            .contains("--generateJwt"));
        assert!(command_tip("nothing-like-it").is_none());
        let init = root.find_subcommand("init").unwrap();
        assert!(flag_tip(init, "--out-dir")
            .unwrap()
            .contains("uvtool init DIR"));
        assert!(flag_tip(mint, "-o").unwrap().contains("stdout"));
        for (cmds, _, _) in NOTE_HINTS {
            for c in *cmds {
                assert!(root.find_subcommand(c).is_some(), "{c}");
            }
        }
    }
}
