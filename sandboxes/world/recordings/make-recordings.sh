#!/bin/sh
# Makes the synthetic voice clips of the lab's recordings bucket. Nothing here is a real
# voice: espeak-ng (Debian package espeak-ng) speaks the lines, sox (package sox) turns them
# into small WAV files Chromium plays: mono, 8000 Hz (telephone quality, like a toy speaker), 16-bit PCM, with a little room echo
# so they sound less robotic. Keep the lines in sync with clips.ts (its transcripts).
# Run from anywhere: sh sandboxes/world/recordings/make-recordings.sh
set -eu
cd "$(dirname "$0")"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# say FILE VOICE PITCH SPEED TEXT
say() {
  espeak-ng -v "$2" -p "$3" -s "$4" -w "$tmp/raw.wav" "$5"
  sox "$tmp/raw.wav" -r 8000 -c 1 -b 16 -e signed-integer "$1" \
    silence 1 0.05 0.5% reverse silence 1 0.05 0.5% reverse \
    reverb 15 pad 0.2 0.3 norm -3
  echo "made $1 ($(wc -c < "$1") bytes)"
}

PARENT_A=en-gb+f3   # a parent (female variant)
PARENT_B=en-us+m3   # a parent (male variant)
CHILD=en-gb+f5      # a child: high pitch, a bit faster

say parent-goodnight.wav   $PARENT_A 45 150 "Goodnight sweetheart. Sleep tight, and give the bear a big hug from me."
say parent-home-soon.wav   $PARENT_B 40 155 "Hi darling, I am on the train. I will be home before bath time."
say parent-love-you.wav    $PARENT_A 50 145 "I love you to the moon and back. See you in the morning."
say parent-brush-teeth.wav $PARENT_B 42 150 "Time to brush your teeth, then story time with the bunny."
say parent-well-done.wav   $PARENT_A 48 150 "Well done at school today. I am so proud of you."
say parent-grandma.wav     $PARENT_B 38 150 "Grandma says hello. She will call you on Sunday."
say child-bear-question.wav $CHILD 90 165 "Bear, do you dream when you sleep?"
say child-why-sky.wav       $CHILD 95 170 "Why is the sky blue, bear?"
say child-miss-you.wav      $CHILD 88 160 "Mummy, I miss you. When are you coming home?"
say child-drawing.wav       $CHILD 92 170 "Daddy, I drew a dinosaur. It is purple."
say child-song.wav          $CHILD 99 150 "Twinkle twinkle little star. That is my song for you."
say child-goodnight.wav     $CHILD 90 160 "Goodnight. Night night, bear."
