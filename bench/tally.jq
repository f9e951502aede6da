# jq baseline: parse every line, tally response status and body code.
#
#   JSON Lines:  jq -R -n -c -S -f bench/tally.jq FILE
#   HAR:         jq -n -c -S --arg format har -f bench/tally.jq FILE
#
# Prints the same JSON as bench_floor and bench/tally.py:
#   {"blank":0,"codes":{...},"malformed":0,"records":0,"statuses":{...,"none":0}}
# (jq reads invalid UTF-8 as U+FFFD, so a line whose only fault is a bad byte is not malformed
# here while the other two count it.)

def status_of:
  if type == "object" then
    if (.status | type) == "number" then .status
    elif (.status_code | type) == "number" then .status_code
    else null end
  else null end;

def add_record($d):
  ($d.response) as $r
  | .statuses[($r | status_of) // "none" | tostring] += 1
  | if ($r | type) == "object" and ($r.body | type) == "object" and ($r.body.code | type) == "number"
    then .codes[$r.body.code | tostring] += 1
    else . end;

def init: {records: 0, malformed: 0, blank: 0, statuses: {}, codes: {}};

if ($ARGS.named.format // "jsonl") == "har" then
  reduce (input | .log.entries[]) as $e (init; .records += 1 | add_record($e))
else
  reduce inputs as $raw (init;
    ($raw | ltrimstr("\ufeff")) as $line
    | if ($line | .[0:1] | . == "" or . == " " or . == "\t" or . == "\r")
         and ($line | test("^[ \\t\\r]*$"))
      then .blank += 1
      else .records += 1
        | (try ($line | fromjson) catch null) as $d
        | if ($d | type) == "object" then add_record($d) else .malformed += 1 end
      end)
end
