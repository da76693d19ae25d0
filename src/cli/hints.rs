//! The one hint table: the habits of other tools, pointed at uvtool's way.
//!
//! Clap suggests the most similar spelling it knows, which is often the wrong
//! concept (`--user` → `--issuer`, `encode` → `decode`). A table of the
//! spellings newcomers reach for (the flags and verbs of openssl, jwt-cli,
//! step and the official Java tool, natural English words) maps each to the
//! flag or command that does it; when an entry applies, its tip replaces
//! clap's. openssl's single-dash words (`-out`, `-in`, `-days`, `-subj`)
//! are refused with the tip before clap reads them, as clap would read
//! `-out` as `-o ut`; every openssl option word gets a tip (uvtool's way,
//! or a note that uvtool does not need it). A tip that names a flag looks
//! at the value typed after the habit too: `-exp 600` and jwt-cli's
//! `-e +1h` are lifetimes (`--ttl`), jwt-cli's `-S @key.pem` is `--key
//! key.pem`, and a value the flag would refuse (`-alg HS256`) gets its
//! reason at once. Wrong values have their tips where they are parsed
//! (values.rs: `--alg HS256`, `--exp +1h`, `--days 1e20`; cmd/mint.rs:
//! `--exp 600`).

use std::error::Error as _;
use std::ffi::OsString;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::CommandFactory;

use crate::cli::{values, Cli};

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
        only: &["jwk"],
        note: "this command reads a certificate (--cert) or a key (--key, which also takes a JWK)",
    },
    FlagHint {
        wrong: &["jwk", "jwkfile", "jwks", "keyset", "jwksfile"],
        right: &["key"],
        only: &["cert"],
        note: "cert reads the private key (PEM, DER or a private JWK) and makes its certificate",
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
        note: "a lifetime: mint's --ttl 10m for a token, keygen's and cert's --days 365 for a certificate",
    },
    FlagHint {
        wrong: &["expiration", "expiresat", "expat", "e", "notafter"],
        right: &["exp"],
        only: &["mint"],
        note: "the expiry time (or a lifetime with --ttl)",
    },
    FlagHint {
        wrong: &["expiration", "expiresat", "expat", "e", "notafter"],
        right: &["days"],
        only: &["keygen", "cert"],
        note: "the certificate's validity, a whole number of days (e.g. --days 365)",
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
        // step: --set-file FILE.
        wrong: &["claimsfile", "payloadfile", "datafile", "setfile"],
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
        // openssl rsa -pubout.
        wrong: &["topem", "pem", "aspem", "exportpem", "pemout", "pubout"],
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
        // jwt-cli decode -j; encode -t TYP, --no-typ.
        wrong: &["j"],
        right: &["json"],
        only: &["decode"],
        note: "the header and claims as JSON",
    },
    FlagHint {
        wrong: &["t", "notyp"],
        right: &["typ"],
        only: &["mint"],
        note: "the header's typ (--typ '' leaves it out)",
    },
    FlagHint {
        // openssl -days on a token: its lifetime (the value gets its unit).
        wrong: &["days"],
        right: &["ttl"],
        only: &["mint"],
        note: "a token's lifetime, e.g. --ttl 1d (--days is a certificate's validity, in keygen and cert)",
    },
    FlagHint {
        // openssl req -newkey rsa:2048; genpkey -pkeyopt rsa_keygen_bits:2048.
        wrong: &["newkey", "pkeyopt"],
        right: &["bits"],
        only: &["keygen"],
        note: "the new RSA key's size: 2048, 3072 or 4096",
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
/// normalised spellings, what to do instead). An empty command list: any
/// command (after the entries that name it); `{cmd}` in a note is the
/// command's name. The last entries are openssl's option words as a class,
/// so none of them is read by clap as short flags (`-in` as `-i n`).
pub const NOTE_HINTS: &[(&[&str], &[&str], &str)] = &[
    (
        &["init", "fixtures"],
        &["kty", "crv", "curve", "type", "keytype", "algorithm"],
        "uvtool makes RSA keys only (what the platform takes, K2; source: WEB); `uvtool keygen --bits N` chooses the size",
    ),
    (
        // step crypto keypair --kty/--crv/--size; openssl genpkey -algorithm.
        &["keygen"],
        &["kty", "crv", "curve", "type", "keytype", "algorithm"],
        "uvtool makes RSA keys only (what the platform takes, K2; source: WEB); choose the size with --bits",
    ),
    (
        // step --no-password --insecure; openssl -nodes, -passout, -aes256.
        &["keygen", "init", "cert"],
        &[
            "nopassword", "insecure", "nodes", "noenc", "passout", "pass", "password", "aes256",
            "aes192", "aes128", "des3", "des", "cipher",
        ],
        "uvtool never encrypts a private key: private.pem is written unencrypted with mode 0600 (keep it secret)",
    ),
    (
        // step crypto jwt sign --no-password --insecure.
        &["mint"],
        &["nopassword", "insecure", "passin", "pass", "password"],
        "mint reads an unencrypted key (an encrypted one gets the openssl command that decrypts it), so there is no password to give or to skip",
    ),
    (
        // openssl req -new -x509.
        &["keygen", "cert", "init"],
        &["new", "x509", "req"],
        "uvtool keygen makes the key pair, the self-signed certificate (sha256WithRSAEncryption), the JWK and the JWKS in one go (`uvtool keygen --out-dir keys`); uvtool cert makes a certificate for an existing key",
    ),
    (
        // openssl req -keyout, genrsa -in; a key that already exists.
        &["keygen", "init", "fixtures"],
        &["keyout"],
        "keygen writes the new private key as private.pem in --out-dir, with public.pem, cert.pem, jwk.json and jwks.json (`uvtool keygen --out-dir keys`)",
    ),
    (
        &["keygen", "init", "fixtures"],
        &[
            "in", "infile", "inkey", "key", "signkey", "keyfile", "privatekey", "pubin", "cert",
            "passin",
        ],
        "keygen makes a new key and reads none: for a key you have, `uvtool cert --key FILE` makes its certificate and `uvtool jwk --key FILE` its JWK",
    ),
    (
        // openssl req -newkey/-keyout on cert: cert makes no key.
        &["cert"],
        &["newkey", "keyout", "pkeyopt", "bits"],
        "cert makes a certificate for the key given with --key and makes no key; `uvtool keygen --out-dir keys` makes a new key with its certificate",
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
        // jwt-cli decode -S @public.pem -A RS256: decode that verifies.
        &["decode"],
        &[
            "S", "A", "secret", "key", "jwks", "jwk", "cert", "jwksurl", "alg", "publickey",
            "pubkey", "iss", "issuer", "aud", "audience", "sub", "subject", "require", "leeway",
            "verify", "ignoreexp",
        ],
        "decode shows a token without verifying it; to check its signature and claims use `uvtool verify --key FILE TOKEN` (or --jwks FILE, --cert FILE; with --iss, --aud, --sub)",
    ),
    (
        // jwt-cli decode -d UTC|Local.
        &["decode"],
        &["d", "date", "iso8601", "utc", "local"],
        "decode shows every time as RFC 3339 UTC with how long ago it is; --now fixes the clock it compares with",
    ),
    (
        // jwt-cli decode --ignore-exp.
        &["verify"],
        &["ignoreexp", "noverifyexp", "skipexp", "noexp"],
        "verify always checks exp; judge the token as of another time with --now TIME, or show it without checking with `uvtool decode TOKEN`",
    ),
    (
        // step crypto jwt verify --insecure.
        &["ui"],
        &["insecure", "subtle"],
        "ui needs no --insecure: a keyset URL over plain http on a host that is not loopback takes --insecure-http",
    ),
    (
        &["verify"],
        &["insecure", "subtle"],
        "verify needs no --insecure: it judges by --profile (platform or rfc); a keyset URL over plain http on a host that is not loopback takes --insecure-http",
    ),
    (
        &["check"],
        &["jwk", "jwks", "cert", "key", "token", "file", "input", "in"],
        "check takes its inputs as arguments: `uvtool check jwk.json token.jwt`",
    ),
    (
        &["jwks"],
        &["jwk", "cert", "key", "file", "input", "in", "infile"],
        "jwks takes its inputs as arguments: `uvtool jwks keys/jwk.json next/jwk.json -o jwks.json`",
    ),
    (
        // step crypto jwt sign --subtle.
        &[],
        &["subtle"],
        "uvtool needs no --subtle: mint signs the claims you give and warns of what the platform refuses",
    ),
    (
        // jwt-cli encode --no-iat.
        &["mint"],
        &["noiat"],
        "mint always sets iat; --iat TIME chooses it",
    ),
    // openssl's option words, as a class: each to uvtool's way, or a note
    // that uvtool does not need it.
    (
        &[],
        &["inform", "outform", "keyform", "certform"],
        "uvtool tells PEM, DER and JWK apart itself (no -inform); it writes keys and certificates as PEM and JWKs as JSON (`uvtool jwk --key FILE --to-pem` turns a JWK into PEM)",
    ),
    (
        &[],
        &["pubout"],
        "keygen writes the public key as public.pem; for a key you have, `uvtool jwk --key FILE --to-pem` writes its public key as PEM",
    ),
    (
        &[],
        &["passin"],
        "uvtool reads unencrypted keys only: decrypt a copy first with `openssl pkey -in KEY -out key-plain.pem` (and keep it private)",
    ),
    (
        &[],
        &[
            "passout", "pass", "nodes", "noenc", "aes256", "aes192", "aes128", "des3", "des",
            "cipher", "nopassword", "password",
        ],
        "uvtool never encrypts a private key, and reads unencrypted ones: there is no password to give or to skip",
    ),
    (
        &[],
        &["newkey", "keyout", "genkey", "pkeyopt", "x509", "new", "req"],
        "uvtool keygen makes the key pair, the self-signed certificate (sha256WithRSAEncryption), the JWK and the JWKS in one go (`uvtool keygen --out-dir keys`); uvtool cert makes a certificate for an existing key",
    ),
    (
        &[],
        &[
            "sha1", "sha224", "sha256", "sha384", "sha512", "md5", "digest", "sigopt",
        ],
        "the digest comes with the algorithm: certificates are signed with sha256WithRSAEncryption, tokens with mint's --alg RS256 (SHA-256) or RS512 (SHA-512), the platform's two (T1; source: WEB)",
    ),
    (
        &[],
        &[
            "text", "noout", "modulus", "pubkey", "fingerprint", "dates", "enddate", "startdate",
            "serial", "purpose", "checkend", "check", "print", "issuerhash", "subjecthash",
        ],
        "uvtool has no -text: `uvtool check FILE` judges a key, certificate, JWK, JWKS or token against the platform's rules, and `uvtool decode TOKEN` shows a token; a certificate's fields are `openssl x509 -in FILE -noout -text`",
    ),
    (
        &[],
        &["setserial", "caserial", "cacreateserial"],
        "uvtool gives every certificate a random 128-bit serial number: there is nothing to set",
    ),
    (
        &[],
        &["config", "extensions", "extfile", "addext", "reqexts", "copyextensions"],
        "uvtool needs no openssl configuration: its certificates carry a fixed set of extensions (basicConstraints CA:FALSE, keyUsage digitalSignature, a subject key identifier)",
    ),
    (
        &[],
        &["ca", "cakey", "cafile", "capath", "cacert", "chain"],
        "uvtool makes self-signed certificates only (keygen, cert) and checks a certificate's key and dates, not a chain; a certificate from a CA comes from that CA",
    ),
    (
        &[],
        &["rand", "writerand", "engine", "provider", "providerpath", "propquery"],
        "uvtool needs no -rand, -engine or -provider: it has its own cryptography and random source",
    ),
    (
        &[],
        &["batch", "utf8", "nameopt", "multivalue"],
        "uvtool never prompts: every value is a flag (see `uvtool {cmd} --help`)",
    ),
    (
        &[],
        &["in", "infile", "inkey", "key", "signkey", "pubin"],
        "each input of uvtool has a flag that names its kind or is an argument ({inputs}): see `uvtool {cmd} --help`",
    ),
    (
        &[],
        &["algorithm", "kty", "keytype"],
        "uvtool makes and reads RSA keys only (K2; source: WEB); a token's signature algorithm is mint's --alg RS256 or RS512",
    ),
    (
        &[],
        &["subj"],
        "a certificate's subject is --subject of uvtool keygen and uvtool cert; a token's user is --sub of uvtool mint",
    ),
    (
        &[],
        &["out", "output", "outfile", "outputfile"],
        "uvtool {cmd} prints on stdout: redirect it (`> FILE`) when you want a file; see `uvtool {cmd} --help`",
    ),
    (
        &[],
        &["days"],
        "--days is a certificate's validity (uvtool keygen, uvtool cert); a token's lifetime is mint's --ttl",
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
        &["certificate", "x509", "selfsigned", "mkcert"],
        "cert",
        "makes a self-signed certificate for a key",
    ),
    (
        &["jwkset", "keyset", "set"],
        "jwks",
        "assembles or edits a JWKS",
    ),
    (
        // Not "pkey": that is openssl's key command (jwk, below).
        &["platformkey", "keyname", "userkey", "messagingkey"],
        "platform-key",
        "prints v2/iamessage/AUTH/{auth_id_info}/uid:{sub}",
    ),
    (
        &["export", "tojwk", "pem2jwk", "convert", "pkey", "rsa"],
        "jwk",
        "exports a JWK from a certificate or key (and a JWK back to PEM with --to-pem)",
    ),
    (
        // openssl req -x509 -newkey: a new key and its certificate.
        &["req"],
        "keygen",
        "makes a new key with its self-signed certificate (openssl req -x509 -newkey); `uvtool cert --key FILE` makes a certificate for a key you have",
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
    let words = words(argv);
    command_at(root, &words).and_then(|i| root.find_subcommand(words[i]))
}

/// The arguments after the program, up to `--` (a word that is not UTF-8
/// is empty).
pub fn words(argv: &[OsString]) -> Vec<&str> {
    argv.iter()
        .skip(1)
        .map(|a| a.to_str().unwrap_or(""))
        .take_while(|a| *a != "--")
        .collect()
}

fn has_flag(cmd: &clap::Command, long: &str) -> bool {
    cmd.get_arguments().any(|a| {
        a.get_long() == Some(long) || a.get_all_aliases().is_some_and(|v| v.contains(&long))
    })
}

/// The flags `text` names as this command's: outside `backticks` (a
/// command line of its own) and not another command's (`mint's --ttl`).
fn named_flags(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (i, part) in text.split('`').enumerate() {
        if i % 2 == 1 {
            continue;
        }
        // A parenthesis right after a command line is about that command
        // (`uvtool verify --key FILE` (or --jwks FILE)).
        let part = match part.strip_prefix(" (").filter(|_| i > 0) {
            Some(r) => r.split_once(')').map_or("", |(_, after)| after),
            None => part,
        };
        let mut rest = part;
        while let Some(at) = rest.find("--") {
            let before = &rest[..at];
            let after = &rest[at + 2..];
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '-'))
                .unwrap_or(after.len());
            let flag = &after[..end];
            // Another command's flag, said so: `mint's --ttl`, `--subject
            // of uvtool keygen`, `keygen writes … --out-dir`, or a flag
            // there is no need for (`needs no --insecure`).
            let clause = before.rsplit(';').next().unwrap_or(before).trim_start();
            let others = clause
                .split_once(' ')
                .is_some_and(|(w, _)| COMMANDS.contains(&w));
            if !flag.is_empty()
                && !before.ends_with("'s ")
                && !before.ends_with("no ")
                && !after[end..].starts_with(" of uvtool ")
                && !others
            {
                out.push(flag);
            }
            rest = &after[end..];
        }
    }
    out
}

/// uvtool's commands, as a clause of a tip starts with one (`keygen writes
/// …`): what follows is about that command.
const COMMANDS: [&str; 11] = [
    "keygen", "cert", "jwk", "jwks", "mint", "verify", "decode", "check", "serve", "ui", "init",
];

/// Whether `flag` is one `cmd` lacks (`wrong`, the flag typed, may be
/// named: the tip says what it is).
fn lacks(cmd: &clap::Command, wrong: &str, flag: &str) -> bool {
    !has_flag(cmd, flag) && flag != "help" && normalise(flag) != normalise(wrong)
}

/// The input flags a `{inputs}` note names, those `cmd` has.
const INPUT_FLAGS: [&str; 6] = ["key", "cert", "jwks", "jwks-url", "token", "sub-file"];

/// A table note worded for `cmd`: `{cmd}` is its name, `{inputs}` its
/// input flags, and a parenthesis naming a flag `cmd` lacks is left out,
/// so a tip never names a flag the command does not have.
fn fit(cmd: &clap::Command, wrong: &str, note: &str) -> String {
    let name = cmd.get_name();
    let own: Vec<String> = INPUT_FLAGS
        .iter()
        .filter(|f| has_flag(cmd, f))
        .map(|f| format!("--{f}"))
        .collect();
    let inputs = if own.is_empty() {
        format!("{name} takes its inputs as arguments")
    } else {
        format!("{name}'s: {}", own.join(", "))
    };
    let mut text = note.replace("{cmd}", name).replace("{inputs}", &inputs);
    let mut from = 0;
    while let Some(open) = text[from..].find('(').map(|i| i + from) {
        let Some(close) = text[open..].find(')').map(|i| i + open) else {
            break;
        };
        // About the command line just before it (see named_flags).
        if text[..open].ends_with("` ") {
            from = close + 1;
            continue;
        }
        if named_flags(&text[open..=close])
            .iter()
            .any(|f| lacks(cmd, wrong, f))
        {
            let start = if text[..open].ends_with(' ') {
                open - 1
            } else {
                open
            };
            text.replace_range(start..=close, "");
            from = start;
        } else {
            from = close + 1;
        }
    }
    text
}

/// What a wrong flag resolves to.
enum Resolved {
    /// A flag of the command and what it takes (`None`: the command's own
    /// flag, typed with one dash).
    Flag { long: String, note: Option<String> },
    /// No flag of the command does it: what to do instead.
    Note(String),
}

/// Whether a table word matches the flag as typed: one letter is a short
/// flag as typed, case and all (-S is not -s); a word is compared loosely.
fn matches(w: &str, wrong: &str, n: &str, short: bool) -> bool {
    if w.len() == 1 {
        short && wrong.strip_prefix('-') == Some(w)
    } else {
        !short && w == n
    }
}

/// The table's answer for a wrong flag `wrong` (as typed) given to `cmd`.
fn resolve(cmd: &clap::Command, wrong: &str) -> Option<Resolved> {
    let n = normalise(wrong);
    if let Some((_, right, args)) = OFFICIAL.iter().find(|(w, _, _)| *w == n) {
        return Some(Resolved::Note(format!(
            "the official tool's invocation is `uvtool {right} {args}` (exactly that spelling, before any command); uvtool's own is `uvtool {}`",
            if *right == "--generateJwt" { "mint" } else { "jwk" }
        )));
    }
    let name = cmd.get_name();
    // `-e=+1h`, `-S=@k.pem`: the flag is what comes before the `=`.
    let wrong = wrong.split('=').next().unwrap_or(wrong);
    let short = wrong.len() == 2 && wrong.starts_with('-') && !wrong.starts_with("--");
    for h in FLAG_HINTS {
        if !h.only.is_empty() && !h.only.contains(&name) {
            continue;
        }
        if !h.wrong.iter().any(|w| matches(w, wrong, &n, short)) {
            continue;
        }
        if let Some(r) = h.right.iter().find(|r| has_flag(cmd, r)) {
            if normalise(r) == n && !short {
                continue; // it is the right name: the problem is elsewhere
            }
            return Some(Resolved::Flag {
                long: (*r).to_string(),
                note: Some(fit(cmd, wrong, h.note)),
            });
        }
    }
    // The entries that name the command first, then those for any command.
    for named in [true, false] {
        for (cmds, wrongs, note) in NOTE_HINTS {
            let applies = if named {
                cmds.contains(&name)
            } else {
                cmds.is_empty()
            };
            if applies && wrongs.iter().any(|w| matches(w, wrong, &n, short)) {
                return Some(Resolved::Note(fit(cmd, wrong, note)));
            }
        }
    }
    if wrong
        .strip_prefix('-')
        .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_digit()))
    {
        return Some(Resolved::Note(format!(
            "{wrong} looks like a negative number; the flag before it takes no negative value (see `uvtool {name} --help`)"
        )));
    }
    None
}

/// The tip for a wrong flag `wrong` (as typed) given to `cmd`.
#[cfg(test)]
fn flag_tip(cmd: &clap::Command, wrong: &str) -> Option<String> {
    tips(cmd, wrong, None, false).map(|t| t.join("\n"))
}

/// The tips for the flag `wrong` (as typed) given to `cmd`, with `value`
/// the argument typed after it (or after its `=`). `one_dash`: `wrong` is a
/// word typed with one dash (`-exp`), looked up as the long flag it would
/// be. The first tip names the flag or says what to do instead; a second
/// one says why the value would be refused by that flag too.
/// What a tip for a word with one dash says about it.
const TWO_DASHES: &str = "uvtool's long flags take two dashes";

fn tips(
    cmd: &clap::Command,
    wrong: &str,
    value: Option<&str>,
    one_dash: bool,
) -> Option<Vec<String>> {
    let name = cmd.get_name();
    let bare = wrong.trim_start_matches('-');
    let bare = bare.split('=').next().unwrap_or(bare);
    let own = one_dash
        .then(|| {
            cmd.get_arguments().find(|a| {
                a.get_long() == Some(bare) || a.get_all_aliases().is_some_and(|v| v.contains(&bare))
            })
        })
        .flatten()
        .and_then(|a| a.get_long());
    let resolved = match own {
        Some(long) => Resolved::Flag {
            long: long.to_string(),
            note: None,
        },
        None if one_dash => resolve(cmd, &format!("--{bare}"))?,
        None => resolve(cmd, wrong)?,
    };
    let (long, note) = match resolved {
        Resolved::Note(n) => return Some(vec![n]),
        Resolved::Flag { long, note } => (long, note),
    };
    let two = if one_dash {
        format!("; {TWO_DASHES}")
    } else {
        String::new()
    };
    // `use '--key'` and what it takes, as the tip said before values counted.
    let head = |flag: &str| match &note {
        Some(what) => format!("use '{flag}': {what} (see `uvtool {name} --help`){two}"),
        None => format!("use '{flag}': {TWO_DASHES}"),
    };
    let arg = cmd.get_arguments().find(|a| a.get_long() == Some(&long));
    let value = value.filter(|_| arg.is_some_and(|a| a.get_action().takes_values()));
    let (Some(arg), Some(v)) = (arg, value) else {
        return Some(vec![head(&format!("--{long}"))]);
    };
    // `-exp 600`, jwt-cli's `-e +1h`: a lifetime, what --ttl takes (as
    // `--exp 600` is told).
    if long == "exp" && has_flag(cmd, "ttl") {
        if let Some((d, secs)) = values::exp_as_lifetime(v) {
            let as_time = values::time(v)
                .ok()
                .and_then(uvtool::clock::format_utc)
                .map(|t| format!(" ({v} would be {t})"))
                .unwrap_or_default();
            return Some(vec![format!(
                "use '--ttl {d}': {v} is a lifetime (a token valid {} from iat); --exp takes a point in time{as_time}{two}",
                uvtool::clock::human_span(secs)
            )]);
        }
    }
    // openssl's `-days 1` on a token: days, where --ttl counts seconds.
    if long == "ttl" && normalise(bare) == "days" {
        if let Ok(n) = v.trim().parse::<u64>() {
            return Some(vec![format!(
                "use '--ttl {n}d': a token's lifetime, in seconds or with a unit (--days is a certificate's validity, in keygen and cert){two}"
            )]);
        }
    }
    // jwt-cli's `-S @key.pem`: uvtool takes the file name as it is.
    let file_flag = arg
        .get_value_names()
        .is_some_and(|names| names.iter().any(|n| n == "FILE"));
    if let Some(file) = v.strip_prefix('@').filter(|f| !f.is_empty()) {
        if file_flag && !std::path::Path::new(v).exists() {
            // The file's kind chooses the flag: `-S @jwk.json` is `--jwks`
            // where the command has it.
            let right = std::fs::read(file)
                .ok()
                .and_then(|b| flag_for_kind(uvtool::read::kind_of(&b)))
                .filter(|f| *f != long && has_flag(cmd, f));
            let what = match (&right, &note) {
                (Some(_), _) => String::new(),
                (None, Some(w)) => format!(": {w}"),
                (None, None) => String::new(),
            };
            let flag = right.unwrap_or(long.as_str());
            return Some(vec![format!(
                "use '--{flag} {file}'{what}; uvtool takes the file name as it is, without jwt-cli's @{two}"
            )]);
        }
    }
    let mut out = vec![head(&format!("--{long}"))];
    out.extend(refusal(name, arg, &long, v));
    Some(out)
}

/// The flag that takes a file of `kind`, in the commands that read keys.
fn flag_for_kind(kind: uvtool::read::Kind) -> Option<&'static str> {
    use uvtool::read::Kind as K;
    match kind {
        K::Jwk | K::Jwks | K::JwkArray => Some("jwks"),
        K::Certificate => Some("cert"),
        K::PublicKey | K::PrivateKey | K::PrivateJwk | K::EncryptedKey => Some("key"),
        _ => None,
    }
}

/// Why `--long VALUE` would be refused by `arg`'s value parser, if it would.
fn refusal(cmd: &str, arg: &clap::Arg, long: &str, value: &str) -> Option<String> {
    let probe = clap::Command::new("probe").no_binary_name(true).arg(
        clap::Arg::new("v")
            .long("v")
            .num_args(1)
            .allow_hyphen_values(true)
            .value_parser(arg.get_value_parser().clone()),
    );
    let e = probe.try_get_matches_from(["--v", value]).err()?;
    let reason = match e.kind() {
        ErrorKind::ValueValidation => e.source()?.to_string(),
        ErrorKind::InvalidValue => {
            // The parser's own tip (`HS256 is HMAC …`) says it all, worded
            // for the command (the probe has no name).
            if long == "alg" {
                if let Some(t) = values::alg_tip_for(cmd, value) {
                    return Some(t);
                }
            }
            if let Some(ContextValue::StyledStrs(t)) = e.get(ContextKind::Suggested) {
                if let Some(first) = t.first() {
                    return Some(first.to_string());
                }
            }
            match e.get(ContextKind::ValidValue) {
                Some(ContextValue::Strings(valid)) => format!("choose {}", valid.join(", ")),
                _ => return None,
            }
        }
        _ => return None,
    };
    Some(format!("--{long} {value}: {reason}"))
}

/// The tip for an argument a command does not take (`keygen k.pem 2048`,
/// jwt-cli's `mint '{"sub":"x"}'`).
fn positional_tip(cmd: &clap::Command, word: &str) -> Option<String> {
    let tip = match cmd.get_name() {
        "keygen" if word.trim().parse::<u32>().is_ok() => format!(
            "the key size is a flag: --bits {} (openssl genrsa's last argument)",
            word.trim()
        ),
        "keygen" => "keygen takes no file names: it writes private.pem, public.pem, cert.pem, jwk.json and jwks.json into --out-dir DIR".into(),
        "mint" if word.trim_start().starts_with('{') => "mint takes extra claims as --claims FILE (a JSON object; - reads it from stdin) or one at a time as --claim NAME=VALUE".into(),
        "mint" => "mint takes no arguments: the key is --key FILE and the user --sub SUB (see `uvtool mint --help`)".into(),
        "cert" => "cert takes the key as --key FILE".into(),
        // step crypto jwk create pub.json priv.json
        "jwk" if word == "create" => "step's `crypto jwk create` is `uvtool keygen --out-dir DIR`: it writes the key pair with jwk.json and jwks.json; `uvtool jwk` exports the JWK of a key you have".into(),
        "jwk" => "jwk takes its input as --cert FILE or --key FILE".into(),
        "serve" => "serve takes the set as --jwks FILE".into(),
        _ => return None,
    };
    Some(tip)
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

/// jwt-cli's and step's two-word commands typed after `uvtool` (`jwt
/// decode`, `jwt verify`): the second word says which command is meant.
fn two_word_tip(wrong: &str, argv: &[OsString]) -> Option<String> {
    if normalise(wrong) != "jwt" {
        return None;
    }
    let args: Vec<&str> = argv.iter().filter_map(|a| a.to_str()).collect();
    let at = args.iter().position(|a| *a == wrong)?;
    let (right, what) = match normalise(args.get(at + 1)?).as_str() {
        "sign" | "encode" | "create" => ("mint", "signs a JWT"),
        "verify" | "validate" => ("verify", "verifies tokens"),
        "inspect" | "decode" | "show" => (
            "decode",
            "shows a token's header and claims without verifying",
        ),
        _ => return None,
    };
    Some(format!(
        "`jwt {}` is `uvtool {right}`, which {what}",
        args[at + 1]
    ))
}

/// The value typed for the flag `word` in `argv`: after its `=`, or the
/// next argument unless that is a flag.
fn value_of<'a>(argv: &'a [OsString], word: &str) -> Option<&'a str> {
    let args: Vec<&str> = argv.iter().map(|a| a.to_str().unwrap_or("")).collect();
    let at = args
        .iter()
        .position(|a| *a == word || a.strip_prefix(word).is_some_and(|r| r.starts_with('=')))?;
    if let Some((_, v)) = args[at].split_once('=') {
        return Some(v);
    }
    args.get(at + 1).copied().filter(|v| !is_flag(v))
}

/// A flag, not a value: `--x`, `-x…` (but not `-`, `-5`, `-1h`).
fn is_flag(a: &str) -> bool {
    a.starts_with("--")
        || a.strip_prefix('-')
            .is_some_and(|r| r.starts_with(|c: char| c.is_ascii_alphabetic()))
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
            if !word.starts_with('-') {
                positional_tip(cmd, &word).map(|t| vec![t])
            } else {
                tips(cmd, &word, value_of(argv, &word), false).or_else(|| {
                    // A flag where a command is expected: `uvtool --generatejwt`.
                    std::ptr::eq(cmd, &root)
                        .then(|| command_tip(&word).map(|t| vec![t]))
                        .flatten()
                })
            }
        }
        ErrorKind::InvalidSubcommand => {
            let Some(ContextValue::String(wrong)) = e.get(ContextKind::InvalidSubcommand) else {
                return e;
            };
            two_word_tip(wrong, argv)
                .or_else(|| command_tip(wrong))
                .map(|t| vec![t])
        }
        _ => None,
    };
    let Some(tips) = tip else { return e };
    with_tip(&e, &root, argv, tips)
}

/// `e` with `tips` in place of clap's suggestions, and the usage line made
/// afresh (clap's names the arguments it suggested).
fn with_tip(
    e: &clap::Error,
    root: &clap::Command,
    argv: &[OsString],
    tips: Vec<String>,
) -> clap::Error {
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
        ContextValue::StyledStrs(tips.into_iter().map(Into::into).collect()),
    );
    out
}

/// A word with one dash that is not a short flag: `-out`, `-in`, `-days`,
/// `-subj` (openssl's spelling), or a flag of this command written with one
/// dash. When the command has a short flag of the same first letter, clap
/// would read `-out` as `-o ut` and write into `./ut/`; otherwise it would
/// say `-d` is unknown with no tip. Refused here, before clap, with the
/// flag to use (and what is wrong with the value typed after it). A value
/// (after a flag that takes one) and anything after `--` are left alone.
pub fn single_dash(argv: &[OsString]) -> Option<clap::Error> {
    // The cheap scan first: most command lines have no such word.
    let candidate = |a: &str| {
        let b = a.as_bytes();
        b.len() >= 3 && b[0] == b'-' && b[1].is_ascii_alphabetic()
    };
    let args = words(argv);
    if !args.iter().any(|a| candidate(a)) {
        return None;
    }
    let mut root = Cli::command();
    root.build();
    let at = command_at(&root, &args)?;
    let cmd = root.find_subcommand(args[at])?;
    // The first such word is the error, with its tips; each further one
    // (an openssl line has several) adds one line, its first tip, named by
    // the word and without the two-dashes reminder (or none when it says
    // what a tip above says).
    let mut found: Option<(&str, Vec<String>)> = None;
    let mut said: Vec<String> = Vec::new();
    let mut after_flag = false;
    for (i, a) in args.iter().enumerate().skip(at + 1) {
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
        let value = match a.split_once('=') {
            Some((_, v)) => Some(v),
            None => args.get(i + 1).copied().filter(|v| !is_flag(v)),
        };
        let Some(mut more) = single_dash_tips(cmd, a, value) else {
            continue;
        };
        match &mut found {
            None => {
                said.clone_from(&more);
                found = Some((a, more));
            }
            Some((_, tips)) => {
                let tip = more.swap_remove(0);
                if said.contains(&tip) {
                    continue;
                }
                let word = a.split('=').next().unwrap_or(a);
                let short = tip
                    .replace(&format!("; {TWO_DASHES}"), "")
                    .replace(&format!(": {TWO_DASHES}"), "");
                tips.push(format!("{word}: {short}"));
                said.push(tip);
            }
        }
    }
    let (first, tips) = found?;
    let mut e = clap::Error::new(ErrorKind::UnknownArgument).with_cmd(cmd);
    e.insert(
        ContextKind::InvalidArg,
        ContextValue::String(first.to_string()),
    );
    Some(with_tip(&e, &root, argv, tips))
}

/// Where the command's name is in `args` (the arguments after the program,
/// up to `--`): the first word that is neither a flag nor the value of a
/// top-level flag (`uvtool --color never keygen`).
pub fn command_at(root: &clap::Command, args: &[&str]) -> Option<usize> {
    let mut value_here = false;
    for (i, a) in args.iter().enumerate() {
        if std::mem::take(&mut value_here) {
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            value_here = !long.contains('=') && takes_value(root, Some(long), None);
        } else if a.len() == 2 && a.starts_with('-') {
            value_here = takes_value(root, None, a.chars().nth(1));
        } else if !a.starts_with('-') {
            return Some(i);
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

/// The tips for `-word` given to `cmd` with `value` typed after it.
fn single_dash_tips(cmd: &clap::Command, word: &str, value: Option<&str>) -> Option<Vec<String>> {
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
    let mut tips = tips(cmd, word, value, true)?;
    if let Some(t) = tips.first_mut() {
        t.push_str(&read_as);
    }
    Some(tips)
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

    /// The class of `cert -e` naming --ttl, `serve --key` naming --cert:
    /// every command × every table word, typed with one or two dashes and
    /// with values, gets tips naming only the command's flags.
    #[test]
    fn no_tip_names_a_flag_the_command_lacks() {
        let mut root = Cli::command();
        root.build();
        let words: Vec<&str> = FLAG_HINTS
            .iter()
            .flat_map(|h| h.wrong.iter().copied())
            .chain(NOTE_HINTS.iter().flat_map(|(_, w, _)| w.iter().copied()))
            .collect();
        let mut seen = 0;
        let mut bad = Vec::new();
        for cmd in root.get_subcommands() {
            for w in &words {
                let two = if w.len() == 1 {
                    format!("-{w}")
                } else {
                    format!("--{w}")
                };
                let one = format!("-{w}");
                for (typed, one_dash) in [(&two, false), (&one, w.len() > 1)] {
                    for value in [None, Some("x"), Some("+1h"), Some("600"), Some("@k.pem")] {
                        for tip in tips(cmd, typed, value, one_dash).unwrap_or_default() {
                            seen += 1;
                            for f in named_flags(&tip) {
                                if lacks(cmd, typed, f) {
                                    bad.push(format!(
                                        "uvtool {} {typed} {value:?}: {tip:?} names --{f}",
                                        cmd.get_name()
                                    ));
                                }
                            }
                        }
                    }
                }
            }
        }
        bad.dedup();
        assert!(bad.is_empty(), "{}", bad.join("\n"));
        assert!(seen > 1000, "{seen}");
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
        let cert = root.find_subcommand("cert").unwrap();
        assert_eq!(
            flag_tip(cert, "-e").unwrap(),
            "use '--days': the certificate's validity, a whole number of days (e.g. --days 365) (see `uvtool cert --help`)"
        );
        let serve = root.find_subcommand("serve").unwrap();
        assert_eq!(
            flag_tip(serve, "--key").unwrap(),
            "each input of uvtool has a flag that names its kind or is an argument (serve's: --jwks): see `uvtool serve --help`"
        );
        for (cmds, _, _) in NOTE_HINTS {
            for c in *cmds {
                assert!(root.find_subcommand(c).is_some(), "{c}");
            }
        }
    }
}
