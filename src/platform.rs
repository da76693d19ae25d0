//! Platform-key derivation: where the chat platform may store a verified user.
//!
//! Sources (labels as in docs/PLATFORM.md): the seed ("Understanding Token-Based
//! User Verification") says the key "might be"
//! `v2/iamessage/AUTH/{auth_id_info}/uid:{sub}`; it does not say what fills
//! `{auth_id_info}`. Field reports say it is the User Verification
//! Configuration's name. The name's format (P1) is the Metadata API's
//! `authIdentifier` rule (meta).

/// The hedge that goes with every platform key uvtool prints: the seed
/// gives the form as an example, not a contract.
pub const HEDGE: &str = "seed: the platform key \"might be\" this form; what fills {auth_id_info} is not documented (field: the User Verification Configuration's name)";

/// The record key the seed gives as an example for a verified user:
/// `v2/iamessage/AUTH/{auth_id_info}/uid:{sub}` (seed: the key "might be"
/// this; what fills `{auth_id_info}` is undocumented, field reports say the
/// configuration's name).
pub fn platform_key(auth_id: &str, sub: &str) -> String {
    format!("v2/iamessage/AUTH/{auth_id}/uid:{sub}")
}

/// Why a configuration name (`{auth_id_info}`) breaks rule P1, if it does:
/// it must begin with a letter and hold only letters, digits and `_`
/// (meta: `authIdentifier`). The message names the first offending
/// character and the rule with its source; it names no command-line flag.
pub fn auth_id_problem(name: &str) -> Option<String> {
    let rule = "the configuration name must begin with a letter and hold only letters, digits and _ (rule P1; source: meta, authIdentifier)";
    let Some(first) = name.chars().next() else {
        return Some(format!("is empty; {rule}"));
    };
    if !first.is_ascii_alphabetic() {
        return Some(format!("begins with {first:?}; {rule}"));
    }
    if let Some(bad) = name
        .chars()
        .find(|c| !(c.is_ascii_alphanumeric() || *c == '_'))
    {
        return Some(format!("contains {bad:?}; {rule}"));
    }
    None
}

/// Why a `sub` would make an ambiguous or surprising platform key, if it would.
pub fn sub_problem(sub: &str) -> Option<&'static str> {
    if sub.is_empty() {
        Some("is empty")
    } else if sub.contains('/') {
        Some("contains '/', which splits the path-like platform key")
    } else if sub.chars().any(char::is_whitespace) {
        Some("contains whitespace")
    } else if sub.chars().any(char::is_control) {
        Some("contains control characters")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_format() {
        assert_eq!(
            platform_key("MyConfig", "user-123"),
            "v2/iamessage/AUTH/MyConfig/uid:user-123"
        );
    }

    #[test]
    fn auth_id_p1() {
        for ok in ["MyConfig", "My_Config_2", "a", "Z9"] {
            assert_eq!(auth_id_problem(ok), None, "{ok}");
        }
        for (bad, what) in [
            ("", "is empty"),
            ("1Config", "begins with '1'"),
            ("_Config", "begins with '_'"),
            ("My-Config", "contains '-'"),
            ("My Config", "contains ' '"),
            ("My/Config", "contains '/'"),
            ("Café", "contains 'é'"),
        ] {
            let m = auth_id_problem(bad).expect(bad);
            assert!(m.starts_with(what), "{bad}: {m}");
            assert!(m.contains("P1") && m.contains("meta"), "{m}");
        }
    }

    #[test]
    fn sub_problems() {
        assert_eq!(sub_problem("user-123"), None);
        assert!(sub_problem("").is_some());
        assert!(sub_problem("a/b").is_some());
        assert!(sub_problem("a b").is_some());
        assert!(sub_problem("a\u{7}").is_some());
    }
}
