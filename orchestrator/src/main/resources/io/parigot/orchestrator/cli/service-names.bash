
# Service names. The NAME of parigot kill and restart, and each NAME of stop, start, logs, ps
# and up, completes to the services of the deploy.yaml the command would act on: the one in the
# current directory, or the one --file names (a directory's deploy.yaml), less those already
# on the line (up's first argument is its FILE when it ends in .yaml or .yml or is a file or
# directory, as up takes it). Anything else is completed by picocli's _complete_parigot above.
#
# The names are those deploy.yaml's own reader finds: the parigot being completed is asked,
# `parigot completion --service-names FILE` (undocumented, for this script), so that every form
# of YAML a deploy.yaml may take counts (flow style, JSON, anchors and merge keys), not the
# forms a reader in the shell would know. It answers before its CLI is set up, from its
# class-data archive when it has one: about 0.15 s (0.3 s without the archive). A reader of
# YAML's flow style in awk would be a second YAML parser, in a language without one, that
# would read some files otherwise than parigot does. When that parigot cannot answer (it is not
# found, it is an older one, or its checkout is to be built, which a TAB does not start), the
# names are read here with awk, from a services: mapping written in block style only; so they
# are when it takes more than 2 s.
# Either way a file that is not there, or not such YAML, completes to nothing, quietly.
function _parigot_complete() {
  local verb="" values="" many=0 file=deploy.yaml given=0 named=" " ended="" i=1 word upfile=""
  while [ "$i" -lt "$COMP_CWORD" ]; do
    word=${COMP_WORDS[i]}
    if [ -z "$verb" ]; then
      case $word in
        -*) ;;
        *)
          verb=$word
          # the verbs whose parameters are services' NAMEs, their options that take a value
          # (the word after such an option is not a parameter), and whether they take more
          # than one NAME
          case $verb in
@SERVICE_VERBS@
            *) break ;;
          esac
          ;;
      esac
    elif [ -n "$ended" ]; then
      given=$((given + 1)) named="$named$word "
    elif [ "$word" = -- ]; then
      ended=1
    elif [[ $values == *" $word "* ]]; then
      i=$((i + 1))
      # bash splits --file=FILE into three words at the =
      [ "${COMP_WORDS[i]-}" = = ] && i=$((i + 1))
      [ "$word" = --file ] && file=${COMP_WORDS[i]-}
    elif [[ $word == --file=?* ]]; then
      file=${word#--file=} # zsh keeps it one word
    elif [ "$verb" = up ] && [ "$given" -eq 0 ] && [ -z "$upfile" ] \
        && { [[ $word == *.yaml || $word == *.yml ]] || [ -e "$word" ]; }; then
      file=$word upfile=1 # up's FILE, not a SERVICE
    elif [[ $word != -?* ]]; then
      given=$((given + 1)) named="$named$word "
    fi
    i=$((i + 1))
  done
  local cur=${COMP_WORDS[COMP_CWORD]}
  # the cursor is at a NAME: after a verb that takes one (past the end, the word at the
  # cursor is an option's value), before any other parameter unless the verb takes more than
  # one, not at an option
  if [ -z "$verb" ] || [ "$i" -ne "$COMP_CWORD" ] || { [ "$many" -eq 0 ] && [ "$given" -ne 0 ]; } \
      || { [ -z "$ended" ] && [[ $cur == -* ]]; }; then
    _complete_parigot "$@"
    return
  fi
  # no names is no names, not the file names that -o default would offer instead (in bash:
  # zsh's compopt is its bashcompinit's complete, which would take +o default for commands)
  # (but up's first argument may be its FILE: when no name starts so, the file names are offered)
  if [ "$verb" != up ] || [ -n "$upfile" ] || [ "$given" -ne 0 ]; then
    [ -n "${BASH_VERSION-}" ] && compopt +o default 2>/dev/null
  fi
  local IFS=$'\n'
  COMPREPLY=( $(_parigot_service_names "$file" "$cur" "$named" "${COMP_WORDS[0]}") )
}

# REPLY: WORD as typed, unquoted: in quotes, with backslashes or ~/ (never evaluated: a TAB must
# not run what a word names).
function _parigot_unquoted() {
  REPLY=$1
  case $REPLY in
    \'*\'|\"*\") REPLY=${REPLY:1:${#REPLY}-2} ;;
    *) REPLY=${REPLY//\\/} ;;
  esac
  case $REPLY in "~/"*) REPLY=$HOME/${REPLY#"~/"} ;; esac
}

# The service names in FILE (a deploy.yaml, or its directory) that start with PREFIX, one a
# line, but for those in NAMED (each between spaces), as PARIGOT (the command being completed,
# as typed) reads them, or else as awk does. FILE and PARIGOT are words as typed.
function _parigot_service_names() {
  local REPLY file parigot names name named=${3- } IFS=$'\n'
  _parigot_unquoted "$1"
  file=$REPLY
  [ -d "$file" ] && file=$file/deploy.yaml
  [ -f "$file" ] && [ -r "$file" ] || return 0
  _parigot_unquoted "${4-parigot}"
  parigot=$REPLY
  # the file is given as a path: the parigot is not asked anything it could take for an option
  case $file in -*) file=./$file ;; esac
  # a TAB waits 2 s at most for it (a machine so loaded that its JVM takes longer): timeout
  # ends it, and awk reads the file instead; without coreutils' timeout, it has no limit
  local -a limit=()
  command -v timeout >/dev/null 2>&1 && limit=(timeout 2)
  if ! { command -v -- "$parigot" >/dev/null 2>&1 && names=$(command "${limit[@]}" "$parigot" \
      completion --service-names "$file" </dev/null 2>/dev/null); }
  then
    names=$(_parigot_block_service_names "$file")
  fi
  for name in $names; do
    [[ $name == "$2"* && $named != *" $name "* ]] || continue
    named="$named$name "
    printf '%s\n' "$name"
  done
}

# The keys of FILE's top-level services: mapping written in block style, at its first
# indentation, one a line.
function _parigot_block_service_names() {
  LC_ALL=C command awk -v sq="'" '
    { sub(/\r$/, "") }
    !inside { if ($0 ~ /^"?services"?[ \t]*:[ \t]*(#.*)?$/) inside = 1; next }
    /^[ \t]*(#.*)?$/ { next }
    {
      match($0, /^ */)
      if (RLENGTH == 0) exit # the next top-level key: services: has ended
      if (!indent) indent = RLENGTH
      if (RLENGTH != indent) next # deeper: the keys of a service
      key = substr($0, indent + 1)
      q = substr(key, 1, 1)
      if (q == "\"" || q == sq) {
        name = substr(key, 2)
        end = index(name, q)
        rest = substr(name, end + 1)
        name = end ? substr(name, 1, end - 1) : ""
      } else {
        end = index(key, ":")
        name = substr(key, 1, end - 1)
        rest = substr(key, end)
        sub(/[ \t]+$/, "", name)
      }
      if (rest ~ /^[ \t]*:([ \t]|$)/ && name ~ /^[a-z0-9][a-z0-9_-]*$/) print name
    }' "$1" 2>/dev/null
}

complete -F _parigot_complete -o default parigot parigot.sh parigot.bash
