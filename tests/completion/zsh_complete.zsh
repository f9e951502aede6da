# Prints the candidates zsh's completion system offers for a command line.
#   zsh -f zsh_complete.zsh FPATH_DIR|- 'kling-triage analyze --fo'
# Starts an interactive zsh on a pseudo-terminal (zsh/zpty), runs compinit
# (with FPATH_DIR first in $fpath, or the default $fpath for -), types the
# line and a Tab, and prints every candidate compadd receives, one a line.
zmodload zsh/zpty || exit 2
local dir=$1 cmdline=$2
zpty kt zsh -f -i
[[ $dir != - ]] && zpty -w kt "fpath=($dir \$fpath)"
zpty -w kt 'PROMPT= ; autoload -Uz compinit; compinit -u -D'
# The markers are assembled when printed, so the echo of these lines
# never looks like one.
zpty -w kt 'kt_begin() { print -r -- "<<KT""-BEGIN>>" }; kt_end() { print -r -- "<<KT""-END>>"; exit }'
zpty -w kt 'compprefuncs=(kt_begin); comppostfuncs=(kt_end)'
# Each candidate as it would be inserted: with the ignored prefix and the
# prefixes compadd was given (-P, -p: a file's folder). Calls with -O, -A or
# -D only filter lists (the _files machinery): they add nothing.
zpty -w kt 'kt_opts() { zparseopts -E P:=kt_P p:=kt_p O:=kt_f A:=kt_f D:=kt_f 2>/dev/null }'
zpty -w kt 'compadd() { local -a kt_hits kt_P kt_p kt_f; kt_opts "$@"; if (( $#kt_f )); then builtin compadd "$@"; return; fi; builtin compadd -A kt_hits "$@"; local h; for h in $kt_hits; do print -r -- "KT-HIT:$IPREFIX${kt_P[2]}${kt_p[2]}$h"; done; builtin compadd "$@" }'
zpty -w kt 'bindkey "^I" complete-word'
zpty -n -w kt "$cmdline"$'\t'
local line inside=0
while zpty -r kt line; do
  line=${line%$'\n'}
  line=${line%$'\r'}
  [[ $line == *'<<KT-END>>'* ]] && break
  [[ $line == *'<<KT-BEGIN>>'* ]] && { inside=1; continue }
  (( inside )) && [[ $line == KT-HIT:* ]] && print -r -- "${line#KT-HIT:}"
done
zpty -d kt
