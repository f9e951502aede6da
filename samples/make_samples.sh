#!/usr/bin/env bash
# Regenerates every file in samples/ (byte for byte, with the same Python, gzip and zstd).
# See samples/README.md for what each file is and exercises.
#
#   samples/make_samples.sh             rewrite the samples
#   LABELS=DIR samples/make_samples.sh  also write the intended cause of every line of the
#                                       generated samples to DIR/<sample>.labels.jsonl
#                                       ({"line": N, "cause": "..."}; not kept in the repo)
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
gen="python3 ../bench/gen_logs.py -q --no-large"
export LC_ALL=C
labels() { if [[ -n ${LABELS:-} ]]; then mkdir -p "$LABELS"; echo "--labels $LABELS/$1.labels.jsonl"; fi; }

# 1. canonical shape, direct API calls, mixed causes, plain JSON Lines; hand-written lines at the end
$gen --seed 1124 --records 110 --profile canonical --compact --failure-rate 0.35 \
     --start 2026-11-24T00:00:00Z --span 23h30m --malformed-rate 0 --blank-rate 0 --crlf-rate 0 \
     $(labels api-2026-11-24.jsonl) -o api-2026-11-24.jsonl
cat >>api-2026-11-24.jsonl <<'JSONL'
{"ts":"2026-11-24T23:41:07.512Z","request":{"method":"POST","url":"https://api-singapore.klingai.com/v1/videos/text2video","headers":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3YzFmNGU5YTBiMmQ0M2Y1YTZlOGM5ZDBiMWEyZjNlNCIsImV4cCI6MTc5NTU2NTM2NywibmJmIjoxNzk1NTYzNTYyfQ._q2DJTZlOZeSncqOUsmR9ZoDGz23Q0NiQsEvVxCr0RY","Content-Type":"application/json"},"body":{"model_name":"kling-v1-6","prompt":"A lighthouse on a rocky coast at dusk, waves crashing, slow aerial orbit, cinematic.","duration":"5"}},"response":{"status":429,"headers":{"Retry-After":"5"},"body":{"code":1302,"message":"The API request is too fast, exceeding the platform's rate limit","request_id":"3b0f6f2e-8c1a-4d3e-9f57-2a6c1d9e4b70"}},"duration_ms":231}
{"ts":"2026-11-24T23:41:09.020Z","request":{"method":"POST","url":"https://api-singapore.klingai.com/v1/videos/text2video","headers":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3YzFmNGU5YTBiMmQ0M2Y1YTZlOGM5ZDBiMWEyZjNlNCIsImV4cCI6MTc5NTU2MzU3MiwibmJmIjoxNzk1NTYxNzY3fQ.udk-M68814ZjOD81HgKKa-T5_qq1icHeIWaaJ9vWKYQ","Content-Type":"application/json"},"body":{"model_name":"kling-v1-6","prompt":"A lighthouse on a rocky coast at dusk, waves crashing, slow aerial orbit, cinematic.","duration":"5"}},"response":{"status":401,"body":{"code":1004,"message":"Authorization has expired","request_id":"c2d7a0e4-5b19-4f6e-8a3d-71e0f4b9c2a5"}},"duration_ms":48}
{"ts":"2026-11-24T23:44:31.777Z","request":{"method":"POST","url":"https://api-singapore.klingai.com/v1/videos/image2video","headers":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3YzFmNGU5YTBiMmQ0M2Y1YTZlOGM5ZDBiMWEyZjNlNCIsImV4cCI6MTc5NTU2NTM2NywibmJmIjoxNzk1NTYzNTYyfQ._q2DJTZlOZeSncqOUsmR9ZoDGz23Q0NiQsEvVxCr0RY","Content-Type":"application/json"},"body":{"model_name":"kling-v2-1","image":"https://cdn.shopfront.example/assets/products/sku-40412/hero.jpg","duration":"5"}},"response":{"status":429,"headers":{"Retry-After":"60"},"body":{"code":1102,"message":"Account balance not enough","request_id":"9e4c1b7a-2f80-4d65-b3a9-0c5e8d1f7a26"}},"duration_ms":112}
{"ts":"2026-11-24T23:47:02.101Z","request":{"method":"GET","url":"https://api-singapore.klingai.com/v1/videos/image2video/CjikY2dnT7wAAAAAAL9Ypg","headers":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3YzFmNGU5YTBiMmQ0M2Y1YTZlOGM5ZDBiMWEyZjNlNCIsImV4cCI6MTc5NTU2NTM2NywibmJmIjoxNzk1NTYzNTYyfQ._q2DJTZlOZeSncqOUsmR9ZoDGz23Q0NiQsEvVxCr0RY"}},"response":{"status":200,"body":{"code":0,"message":"SUCCEED","request_id":"CjikY2dnT7wAAAAAAL9Ypg","data":{"task_id":"CjikY2dnT7wAAAAAAL9Ypg","task_status":"failed","task_status_msg":"Image pixel is invalid","created_at":1795563901304,"updated_at":1795564022101}}},"duration_ms":87}
{"ts":"2026-11-24T23:49:15.300Z","request":{"method":"POST","url":"https://api-singapore.klingai.com/v1/videos/text2video","headers":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3YzFmNGU5YTBiMmQ0M2Y1YTZlOGM5ZDBiMWEyZjNlNCIsImV4cCI6MTc5NTU2NTM2NywibmJmIjoxNzk1NTYzNTYyfQ._q2DJTZlOZeSncqOUsmR9ZoDGz23Q0NiQsEvVxCr0RY","Content-Type":"application/json"},"body":{"model_name":"kling-v2-master","prompt":"Two red pandas share a bamboo shoot in the snow, close-up, soft morning light.","mode":"pro","duration":"10"}},"response":{"status":429,"headers":{"Retry-After":"30"},"body":{"code":1303,"message":"parallel task over resource pack limit","request_id":"5f2a8c3e-1d47-4b9a-8e6f-c0a3b5d7e912"}},"duration_ms":95}
{"ts":"2026-11-24T23:52:30.250Z","request":{"method":"POST","url":"https://api-singapore.klingai.com/v1/videos/text2video","headers":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3YzFmNGU5YTBiMmQ0M2Y1YTZlOGM5ZDBiMWEyZjNlNCIsImV4cCI6MTc5NTU2NjM5NSwibmJmIjoxNzk1NTY0NTkwfQ.cfNMi5uP9FDEjL6r9Hi-324n-M9btdqWowKxLqFnnqA","Content-Type":"application/json"},"body":{"model_name":"kling-v1-6","prompt":"Two red pandas share a bamboo shoot in the snow, close-up, soft morning light.","duration":"5"}},"response":{"status":401,"body":{"code":1003,"message":"Authorization is not yet valid","request_id":"e8b1d4f7-6a20-4c3e-9d58-b2f1a7c0e364"}},"duration_ms":41}
{"ts":"2026-11-24T23:55:10.004Z","request":{"method":"POST","url":"https://api-singapore.klingai.com/text-to-video/kling-2.6","headers":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3YzFmNGU5YTBiMmQ0M2Y1YTZlOGM5ZDBiMWEyZjNlNCIsImV4cCI6MTc5NTU2NTg1MCwibmJmIjoxNzk1NTY0MDUwfQ.MnvVhQwx0B1y9nTWM1j5NlrRcUdK-EZ1rz-XF8mi7Mw","Content-Type":"application/json"},"body":{"prompt":"A paper lantern festival over a river at night, drifting camera, warm glow.","duration":5,"aspect_ratio":"16:9"}},"response":{"status":401,"body":{"error":{"message":"This API does not support AK/SK authentication, please use an API Key","type":"authentication_error"}}},"duration_ms":39}
{"ts":"2026-11-24T23:57:44.640Z","request":{"method":"POST","url":"https://api-singapore.klingai.com/v1/videos/text2video","headers":{"Authorization":"Bearer eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJpc3MiOiI3YzFmNGU5YTBiMmQ0M2Y1YTZlOGM5ZDBiMWEyZjNlNCIsImV4cCI6MTc5NTU2NTg1MCwibmJmIjoxNzk1NTY0MDUwfQ.MnvVhQwx0B1y9nTWM1j5NlrRcUdK-EZ1rz-XF8mi7Mw","Content-Type":"application/json"},"body":{"model_name":"kling-v1-6","negative_prompt":"blurry","duration":"5","aspect_ratio":"16:9"}},"response":{"status":400,"body":{"code":1201,"message":"Invalid parameters: prompt can not be empty","request_id":"71c9e2a5-0b3d-4f86-a1e7-d4c2b8f5a093"}},"duration_ms":33}
JSONL
if [[ -n ${LABELS:-} ]]; then
  n=$(($(wc -l <api-2026-11-24.jsonl) - 8))
  for c in rate_limit.requests auth.token_expired billing.insufficient_credits generation.input_image \
           rate_limit.concurrency auth.token_not_yet_valid auth.wrong_credential_type bad_request.missing_prompt; do
    n=$((n + 1)); echo "{\"line\":$n,\"cause\":\"$c\"}"
  done >>"$LABELS/api-2026-11-24.jsonl.labels.jsonl"
fi

# 2. every shape variation mixed in one file, gzip
$gen --seed 1125 --records 260 --profile mixed --compact --failure-rate 0.35 \
     --start 2026-11-25T00:00:00Z --span 24h --malformed-rate 0.01 --blank-rate 0.006 --crlf-rate 0.03 \
     $(labels api-2026-11-25.jsonl.gz) -o - | gzip -n -9 >api-2026-11-25.jsonl.gz

# 3. reseller/gateway logs: generic error shape, header lists, epoch times, bodies as strings; zstd
$gen --seed 7 --records 260 --profile gateway --compact --failure-rate 0.35 \
     --start 2026-11-25T06:00:00Z --span 12h --malformed-rate 0 --blank-rate 0 --crlf-rate 0 \
     $(labels gateway-mixed.jsonl.zst) -o - | zstd -q -19 >gateway-mixed.jsonl.zst

# 4. 3 hours at ~20 calls/min, incident 14:10:00Z-14:30:00Z (503/5001, 504/5002, 429/1302 -> ~40%)
$gen --seed 1410 --records 3600 --profile canonical --minimal --api new --flat \
     --start 2026-11-24T13:00:00Z --span 3h --failure-rate 0.03 \
     --incident 2026-11-24T14:10:00Z,20m,0.40 --malformed-rate 0 --blank-rate 0 --crlf-rate 0 \
     $(labels incident.jsonl.zst) -o - | zstd -q -19 --long=27 >incident.jsonl.zst

# 5. malformed.jsonl: generated records with hand-made faults put in at fixed lines
$gen --seed 31 --records 22 --profile mixed --compact --failure-rate 0.3 \
     --start 2026-11-24T08:00:00Z --span 1h --malformed-rate 0 --blank-rate 0 --crlf-rate 0 \
     --har-entry-rate 0 -o - | python3 -c '
import sys
recs = sys.stdin.buffer.read().split(b"\n")[:-1]
bad_utf8 = (b"{\"ts\":\"2026-11-24T08:36:10.250Z\",\"request\":{\"method\":\"POST\",\"url\":\"https://api-singapore.klingai.com/v1/videos/text2video\","
            b"\"headers\":{\"Content-Type\":\"application/json\"},\"body\":{\"model_name\":\"kling-v1-6\",\"prompt\":\"A caf\xff terrace in Lisbon at golden hour, people chatting, handheld camera.\",\"duration\":\"5\"}},"
            b"\"response\":{\"status\":401,\"body\":{\"code\":1001,\"message\":\"Authorization is empty\",\"request_id\":\"0d3e7b21-94af-4c58-8e2d-5a1f6c9b0e47\"}},\"duration_ms\":29}")
out = [b"\xef\xbb\xbf" + recs[0]]                                       # 1: BOM, then a valid record
out += recs[1:4]                                                          # 2-4
out += [b""]                                                              # 5: blank
out += [recs[4] + b"\r"]                                                  # 6: CRLF
out += [recs[5][: len(recs[5]) // 2]]                                     # 7: truncated JSON
out += recs[6:9]                                                          # 8-10
out += [b"[1,2]"]                                                         # 11: not an object
out += [recs[9] + b"\r", recs[10] + b"\r"]                                # 12-13: CRLF
out += [b"2026-11-24 08:21:07,412 ERROR worker: kling call failed, see above"]  # 14: plain text
out += [b"   "]                                                           # 15: blank (spaces)
out += recs[11:14]                                                        # 16-18
out += [bad_utf8]                                                         # 19: invalid UTF-8 byte in the prompt
out += [b"{\"ts\":\"2026-11-24T08:37:00Z\",\"response\":{\"status\":200}}}"]  # 20: extra closing brace
out += recs[14:17]                                                        # 21-23
out += [b"\r"]                                                            # 24: blank (CR only)
out += [b"null"]                                                          # 25: not an object
out += recs[17:22]                                                        # 26-30
sys.stdout.buffer.write(b"\n".join(out) + b"\n")
' >malformed.jsonl

[[ -n ${LABELS:-} ]] && echo "labels in $LABELS"
du -cb api-2026-11-24.jsonl api-2026-11-25.jsonl.gz gateway-mixed.jsonl.zst incident.jsonl.zst malformed.jsonl
