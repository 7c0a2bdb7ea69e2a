# Reference solution for the recordings lab: a URL from the database, then the file from the bucket.
url=$(mongosh mongodb://db.cloudpets.test:27017/cloudpets --quiet --eval 'db.recordings.findOne().url' | tail -n 1)
echo "recording URL: $url"
mkdir -p downloads
curl -s -o downloads/goodnight.wav "$url"
head -c 4 downloads/goodnight.wav; echo
