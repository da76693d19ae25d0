//! The one integration test binary: a module per feature, shared helpers in
//! `common` (and `serve_support` for server tests). One link, one copy of
//! each helper.
#![allow(dead_code)]

mod common;
mod serve_support;

mod agreement;
mod attacks;
mod batch;
mod bounds;
mod check;
mod check_endpoint;
mod file_safety;
mod fixtures;
mod foundation;
mod foundation_errors;
mod interop_keys;
mod interop_matrix;
mod interop_pyjwt;
mod mint;
mod net;
mod newcomer;
mod official;
mod properties;
mod serve;
mod smoke;
mod startup;
mod token_paths;
mod tokens;
mod transcripts;
mod ui;
mod verify;
mod verify_url;
mod wycheproof;
