
# Service names. The NAME of parigot kill and restart, and each NAME of logs, ps and up,
# completes to the services of the deploy.yaml the command would act on: the one in the current
# directory, or the one --file names (a directory's deploy.yaml), less those already on the
# line (up's first argument is its FILE when it ends in .yaml or .yml or is a file or
# directory, as up takes it). They are read from its services: mapping with awk, not by
# starting a JVM at every TAB; a file that is not there, or not such YAML, completes to
# nothing, quietly. Anything else is completed by picocli's _complete_parigot above.
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
  COMPREPLY=( $(_parigot_service_names "$file" "$cur" "$named") )
}

# The service names in FILE (a deploy.yaml, or its directory) that start with PREFIX, one a
# line, but for those in NAMED (each between spaces): the keys of the top-level services:
# mapping at its first indentation. FILE is a word as typed: in quotes, with backslashes or ~/
# (never evaluated: a TAB must not run what it names).
function _parigot_service_names() {
  local file=$1
  case $file in
    \'*\'|\"*\") file=${file:1:${#file}-2} ;;
    *) file=${file//\\/} ;;
  esac
  case $file in "~/"*) file=$HOME/${file#"~/"} ;; esac
  [ -d "$file" ] && file=$file/deploy.yaml
  [ -f "$file" ] && [ -r "$file" ] || return 0
  LC_ALL=C command awk -v prefix="$2" -v named="${3- }" -v sq="'" '
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
      if (rest ~ /^[ \t]*:([ \t]|$)/ && name ~ /^[a-z0-9][a-z0-9_-]*$/ \
          && substr(name, 1, length(prefix)) == prefix && !index(named, " " name " ") \
          && !seen[name]++) print name
    }' "$file" 2>/dev/null
}

complete -F _parigot_complete -o default parigot parigot.sh parigot.bash
