# shellcheck shell=bash
# The options a configuration file (configs/*.conf) holds, as dmabench
# micro --config reads them: a '#' starts a comment that ends with its
# line, and blanks and line breaks separate words.  Source it, then
#
#   mapfile -t words < <(config_words FILE)
#
# gives one word an element.
config_words() {
	sed 's/#.*//' "$1" | tr -s ' \t' '\n' | grep -v '^$' || true
}
