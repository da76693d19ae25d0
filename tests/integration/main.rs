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
mod corpus;
mod file_safety;
mod fixtures;
mod foundation;
mod foundation_errors;
mod hostile;
mod hostile_files;
mod hostile_server;
mod interop_keys;
mod interop_matrix;
mod interop_pyjwt;
mod key_kinds;
mod mint;
mod net;
mod newcomer;
mod official;
mod properties;
mod rule_boundaries;
mod serve;
mod smoke;
mod startup;
mod token_paths;
mod tokens;
mod transcripts;
mod trust;
mod ui;
mod verify;
mod verify_url;
mod wycheproof;
