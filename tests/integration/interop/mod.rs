//! Interop with implementations nobody here wrote: Python `cryptography`,
//! PyJWT, jwcrypto and openssl. Skipped without the venv unless
//! UVTOOL_REQUIRE_INTEROP=1 (scripts/test.sh sets it).

mod keys;
mod matrix;
mod pyjwt;
