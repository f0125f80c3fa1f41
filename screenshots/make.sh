#!/usr/bin/env bash
# Regenerates the PNGs in this folder from the real reader: `kiosque --demo` (the sample
# news site on 127.0.0.1) and, for a failing source, the fixture feeds; kiosque in a tmux
# window, the screen captured with its colours, turned into HTML by aha and photographed
# by headless Chromium.
# Needs: tmux, aha, chromium, fonts-dejavu-core (apt-get install -y tmux aha chromium fonts-dejavu-core).
set -euo pipefail
cd "$(dirname "$0")/.."
out="$PWD/screenshots"
work=$(mktemp -d)
trap 'tmux kill-session -t kiosque-shots 2>/dev/null || true; kill "$server" 2>/dev/null || true; rm -rf "$work"' EXIT

cargo build --release --quiet
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
python3 -m http.server "$port" --bind 127.0.0.1 --directory tests/fixtures/feeds >/dev/null 2>&1 &
server=$!
feeds="http://127.0.0.1:$port"
for _ in $(seq 50); do curl -sf "$feeds/actualites.rss" >/dev/null && break; sleep 0.1; done
cat > "$work/config.toml" <<TOML
language = "fr"
[[feed]]
url = "$feeds/actualites.rss"
name = "Actualités"
folder = "Le Kiosque du Midi"
[[feed]]
url = "$feeds/culture.rdf"
name = "Culture"
folder = "Le Kiosque du Midi"
[[feed]]
url = "$feeds/monde.json"
name = "Monde"
folder = "Le Kiosque du Midi"
[[feed]]
url = "$feeds/tech.atom"
folder = "Tech"
[[feed]]
url = "$feeds/missing.rss"
name = "Disparu"
folder = "Tech"
TOML

# aha names the dim VGA colours; this maps them to a common terminal palette. Its
# "dimgray" stands for black and for dark grey alike: kiosque writes black only on a
# coloured background (the selection), so that is where it is made black.
palette='
import re, sys
colours = {"teal": "#36c2c2", "olive": "#d7ba7d", "green": "#8fbf6a", "red": "#e5646e",
           "blue": "#5fa8f0", "purple": "#c678dd", "gray": "#d0d0d0"}
def restyle(m):
    style = m.group(1)
    black = "background-color" in style and "filter" not in style
    style = style.replace("color:dimgray", "color:#111" if black else "color:#808080")
    for name, rgb in colours.items():
        style = re.sub(r"color:" + name + ";", "color:" + rgb + ";", style)
    return "style=\"" + style + "\""
sys.stdout.write(re.sub(r"style=\"([^\"]*)\"", restyle, sys.stdin.read()))
'

# shot NAME WIDTH HEIGHT [PAGE TEXT]: the tmux window as it is now, as NAME.png, on a
# terminal of background PAGE and foreground TEXT (black and light grey by default).
shot() {
    local name=$1 cols=$2 rows=$3 page=${4:-#000} text=${5:-#ddd}
    tmux capture-pane -p -e -t kiosque-shots | aha --no-header | python3 -c "$palette" > "$work/$name.body"
    {
        echo '<!DOCTYPE html><html><head><meta charset="utf-8"><style>'
        echo "body{margin:0;background:$page} pre{margin:8px;font:15px/17px \"DejaVu Sans Mono\",monospace;color:$text}"
        echo '</style></head><body><pre>'
        cat "$work/$name.body"
        echo '</pre></body></html>'
    } > "$work/$name.html"
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking --disable-component-update \
        --disable-sync --no-first-run --user-data-dir="$work/chromium" --hide-scrollbars \
        --window-size="$((cols * 9 + 16)),$((rows * 17 + 16))" --screenshot="$out/$name.png" "file://$work/$name.html" \
        >/dev/null 2>&1
}

# start COLS ROWS [ARGS…]: kiosque in a fresh tmux window.
start() {
    local cols=$1 rows=$2
    shift 2
    tmux kill-session -t kiosque-shots 2>/dev/null || true
    tmux new-session -d -s kiosque-shots -x "$cols" -y "$rows" "LANG=fr_FR.UTF-8 target/release/kiosque $*"
    sleep 2
}

keys() {
    tmux send-keys -t kiosque-shots "$@"
    sleep 0.7
}

start 120 36 --demo
keys j j j Enter j
keys l
shot sections 120 36
keys l l
shot reader 120 36
keys '?'
shot help 120 36
start 80 24 --demo
keys l Enter
shot narrow 80 24
start 120 36 --config "$work/config.toml" --data-dir "$work/data"
keys G
shot failed-source 120 36
# One per built-in theme, on the terminal it is made for.
for theme in default light gruvbox mono; do
    start 120 36 --demo --theme "$theme"
    keys j j j Enter j l l
    case $theme in
        light) shot "theme-$theme" 120 36 '#fdfdf6' '#222' ;;
        gruvbox) shot "theme-$theme" 120 36 '#282828' '#ebdbb2' ;;
        *) shot "theme-$theme" 120 36 ;;
    esac
done
ls -l "$out"/*.png
