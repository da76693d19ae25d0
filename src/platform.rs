//! Platform-key derivation: where the chat platform stores a verified user.

/// The record key for a verified user: `v2/iamessage/AUTH/{config}/uid:{sub}`.
pub fn platform_key(config: &str, sub: &str) -> String {
    format!("v2/iamessage/AUTH/{config}/uid:{sub}")
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
    fn sub_problems() {
        assert_eq!(sub_problem("user-123"), None);
        assert!(sub_problem("").is_some());
        assert!(sub_problem("a/b").is_some());
        assert!(sub_problem("a b").is_some());
        assert!(sub_problem("a\u{7}").is_some());
    }
}
