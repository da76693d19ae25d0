//! A verdict as JSON: the object `verify --json` prints for a token (after
//! its `source` and `line`), which `check --json` nests as a token's
//! `verdict` and the debugger page shows (`inspect`). It sits beside the
//! verdict it words (issue 22).

use serde_json::{json, Map, Value};

use crate::platform;
use crate::policy::Verdict;
use crate::token::Alg;

/// A verdict as `verify --json` prints it (one token, no `line`).
pub fn verdict_json(v: &Verdict, auth_id: Option<&str>) -> Value {
    let mut o = Map::new();
    o.insert("valid".into(), v.is_valid().into());
    o.insert("profile".into(), v.profile.as_str().into());
    let f = v.failure();
    o.insert("reason".into(), f.map(|f| f.message.clone()).into());
    o.insert(
        "code".into(),
        f.and_then(|f| f.code).map(|c| c.as_str()).into(),
    );
    o.insert("rule".into(), f.map(|f| f.rule).into());
    o.insert("fix".into(), f.and_then(|f| f.fix.clone()).into());
    o.insert("alg".into(), v.alg.map(Alg::name).into());
    o.insert("kid".into(), v.kid.clone().into());
    o.insert(
        "header".into(),
        v.header.clone().map(Value::Object).unwrap_or(Value::Null),
    );
    o.insert(
        "claims".into(),
        v.claims.clone().map(Value::Object).unwrap_or(Value::Null),
    );
    if let Some(config) = auth_id {
        let key = v
            .sub()
            .filter(|_| v.is_valid())
            .map(|sub| platform::platform_key(config, sub));
        o.insert("platform_key".into(), key.into());
        o.insert("platform_key_note".into(), platform::HEDGE.into());
    }
    let warnings: Vec<Value> = v
        .warnings()
        .map(|w| {
            json!({
                "rule": w.rule,
                "level": w.level.as_str(),
                "message": w.message,
                "fix": w.fix,
            })
        })
        .collect();
    o.insert("warnings".into(), warnings.into());
    if !v.notes.is_empty() {
        o.insert("notes".into(), v.notes.clone().into());
    }
    Value::Object(o)
}
