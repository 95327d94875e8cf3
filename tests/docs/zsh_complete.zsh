# usage: zsh -f capture.zsh COMPLETIONS_DIR OUTFILE "command line"
zmodload zsh/zpty || exit 3
dir=$1 out=$2 line=$3
rm -f $out
zpty z zsh -f -i
zpty -w z "PS1='' PROMPT='' RPROMPT=''; unsetopt zle_bracketed_paste 2>/dev/null; fpath=($dir \$fpath); autoload -Uz compinit; compinit -u -D"
zpty -w z "zstyle ':completion:*' list-prompt ''; zstyle ':completion:*' select-prompt ''; LISTMAX=100000"
zpty -w z 'compadd() {
  if [[ ${@[(I)-(O|A|D)]} -gt 0 ]]; then builtin compadd "$@"; return; fi
  local -a __hits
  builtin compadd -O __hits "$@"
  (( $#__hits )) && print -rl -- $__hits >> '$out.tmp'
  builtin compadd "$@"
}'
zpty -w z "print READY"
local l
while zpty -r z l; do [[ $l == READY* ]] && break; done
zpty -w -n z "$line"$'\t'
for i in {1..50}; do
  [[ -s $out.tmp ]] && { sleep 0.3; break }
  sleep 0.1
done
zpty -d z
[[ -f $out.tmp ]] && mv $out.tmp $out || : > $out
