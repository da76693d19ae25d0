//! Platform-key derivation: where the chat platform stores a verified user.

/// The record key for a verified user: `v2/iamessage/AUTH/{config}/uid:{sub}`.
pub fn platform_key(config: &str, sub: &str) -> String {
    format!("v2/iamessage/AUTH/{config}/uid:{sub}")
}

/// Why a configuration name breaks P1 (the Metadata API's `authIdentifier`:
/// "must begin with a letter. Only alphanumeric characters and _ are
/// allowed"), if it does.
pub fn auth_id_problem(name: &str) -> Option<&'static str> {
    match name.chars().next() {
        None => Some("is empty"),
        Some(c) if !c.is_ascii_alphabetic() => Some("does not begin with a letter"),
        _ if !name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') => {
            Some("holds a character other than letters, digits and _")
        }
        _ => None,
    }
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
    fn auth_id_rule() {
        assert_eq!(auth_id_problem("MyConfig_2"), None);
        assert_eq!(auth_id_problem("a"), None);
        assert_eq!(auth_id_problem(""), Some("is empty"));
        assert_eq!(
            auth_id_problem("2cfg"),
            Some("does not begin with a letter")
        );
        assert_eq!(
            auth_id_problem("_cfg"),
            Some("does not begin with a letter")
        );
        assert!(auth_id_problem("my-config").is_some());
        assert!(auth_id_problem("my config").is_some());
        assert!(auth_id_problem("Conf\u{e9}").is_some());
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
