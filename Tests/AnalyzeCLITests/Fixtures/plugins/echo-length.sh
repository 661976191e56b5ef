#!/bin/sh
# A test plugin in plain shell: answers each request with the length of the request line.
# The engine writes "id" first in every request, which is what makes sed enough here.
echo '{"name": "echo-length", "version": "1.0", "options": []}'
while IFS= read -r line; do
  id=$(printf '%s' "$line" | sed -n 's/^{"id":"\([^"]*\)".*/\1/p')
  printf '{"id":"%s","output":{"request_bytes":%d}}\n' "$id" "${#line}"
done
