#!/usr/bin/env bash
# Seeds fuzz/corpus/<target>/ from the project's fixtures (the corpus folders
# are not committed). Idempotent: seeds are named by content hash.
set -euo pipefail
cd "$(dirname "$0")"
fx=../fixtures

seed() { # seed TARGET FILE...
  local dir="corpus/$1"; shift
  mkdir -p "$dir"
  for f in "$@"; do
    [ -f "$f" ] || continue
    cp "$f" "$dir/seed-$(sha1sum "$f" | cut -c1-16)"
  done
}
seed_text() { # seed_text TARGET TEXT
  mkdir -p "corpus/$1"
  printf '%s' "$2" > "corpus/$1/seed-$(printf '%s' "$2" | sha1sum | cut -c1-16)"
}

# Compact tokens found anywhere in the fixtures, plus a few shapes.
grep -rhoE 'eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*' "$fx" ../tests 2>/dev/null | sort -u |
  while read -r t; do seed_text token_decode "$t"; seed_text token_lines "$t"; seed_text verify_jwks "$t"; done
for t in 'e30.e30.' 'eyJhbGciOiJub25lIn0.e30.' 'a.b.c.d.e' 'e30=.e30.AA'; do
  seed_text token_decode "$t"
done

# Non-ASCII text where a reader once cut a string inside a character (a
# pasted token with an accent or an emoji, a line separator, a no-break
# space), whitespace inside a token, a header with spaces ({ "alg": ...),
# a byte-order mark, and bytes that are not UTF-8.
tok=eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1In0.c2ln
spaced=$(printf '{ "alg": "RS256" }' | base64 | tr '+/' '-_' | tr -d '=\n').eyJzdWIiOiJ1In0.c2ln
for t in "Authorization: Béarer $tok" "Bearer é$tok" "bearer\t$tok" "\"$tok\"" "$tok🔑" "é" \
  "Authorizationé: x" "eyJ é.b.c" "$spaced" "${tok:0:10}\t${tok:10}" "${tok} ${tok}" \
  "$(printf '\xef\xbb\xbf')$tok" "$(printf '\xe2\x80\xa8')$tok" "$(printf '\xc2\xa0')$tok"; do
  t=$(printf '%b' "$t")
  seed_text token_decode "$t"
  seed_text token_lines "$t"
  seed_text token_lines "$t
$tok
"
  seed_text verify_jwks "$t"
  seed_text input_read "$t"
done
seed_text token_lines "$(printf '\xef\xbb\xbf\n\n  %s\r\n\xff\xfe\n%s\n' "$tok" "$tok")"
for s in 'alice' 'ünïcødé 🔑' '# comment' "$(printf '\xef\xbb\xbfbob\r\ncarol\n\n  dave  \n')" \
  "$(printf 'a\xffb\n')" "$(printf 'line\xe2\x80\xa8sep\n')" "$(printf 'tab\there\n')"; do
  seed_text sub_lines "$s"
done
for t in jwk_parse jwks_parse key_load cert_load pem_parse; do
  seed_text $t "$(printf '\xef\xbb\xbf{"kty":"RSA","kid":"é🔑","n":"é","e":"AQAB"}')"
  seed_text $t "$(printf -- '-----BEGIN CERTIFICATE-----\nMIIé\xff\n-----END CERTIFICATE-----\n')"
  seed_text $t "$(printf -- '-----BEGIN PUBLIC KEY-----\r\n\xc2\xa0MII\r\n-----END PUBLIC KEY-----\r\n')"
done

# verify_jwks: header/claims pairs it signs itself, and tokens minted by the
# debug binary when it is built.
for claims in '{"sub":"u","exp":1800000600}' '{"sub":"u","iat":1799999990,"nbf":1799999990,"exp":1800000600,"aud":["a","b"],"iss":"x"}'; do
  seed_text verify_jwks "SIGN
{\"alg\":\"RS256\",\"kid\":\"fixture-a\"}
$claims"
  seed_text verify_jwks "SIGN
{\"alg\":\"RS256\",\"typ\":\"JWT\",\"crit\":[\"b64\"]}
$claims"
done
if [ -x ../target/debug/uvtool ]; then
  for alg in RS256 PS256 RS512; do
    for k in a b; do
      t=$(../target/debug/uvtool mint --key "$fx/keys/$k/private.pem" --kid "fixture-$k" \
        --alg "$alg" --sub user-1 --iss https://issuer.example --now 1800000000 --ttl 10m 2>/dev/null) && seed_text verify_jwks "$t"
    done
  done
fi

json=$(find "$fx" -name '*.json' -not -path '*/wycheproof/*')
pems=$(find "$fx" -name '*.pem')
ders=$(find "$fx" -name '*.der')
# shellcheck disable=SC2086
{
  seed jwk_parse $json
  seed jwks_parse $json $(find "$fx" -name 'cert.pem' -o -name 'public.pem' -o -name 'openssl-spki.*' -o -name 'openssl-cert.*')
  seed key_load $pems $ders
  seed cert_load $(find "$fx" -name '*cert*') $(find "$fx/keys" -maxdepth 1 -name '*.pem' | head -3)
  seed pem_parse $pems $fx/bad/*.pem $fx/bad/*.txt
  # The one reader and the policy: every kind of input, and the fixture
  # corpus's tokens (each way a token fails).
  seed input_read $json $pems $ders $(find "$fx/corpus/tokens" -name '*.jwt')
}
for t in corpus/*; do echo "$t: $(ls "$t" | wc -l) seeds"; done
