// CloudPets app backend, with the recordings locked (lab: lock-bucket).
//
// The lab world runs this file as the app server behind api.cloudpets.test: it handles
// sign-up, login, the parent's pets and recordings, and calls the three settings below.
// Edit them in the labs; the world reloads this file when the lab restarts.
//
// Available here: `process.env` (MONGODB_URI comes from api/.env when that file exists).

module.exports = {
  // Where the app finds its database. The app runs on the database server, so it talks to
  // localhost. With `security.authorization: enabled` in mongod.conf it needs a user:
  //   mongodb://USER:PASSWORD@localhost:27017/cloudpets?authSource=admin
  mongodbUri: process.env.MONGODB_URI || 'mongodb://localhost:27017/cloudpets',

  // Password rule at sign-up: return a message explaining what is wrong to refuse the
  // password, or null to accept it. 2016: no rule at all, "qwe" is fine.
  checkPassword(password) {
    return null;
  },

  // The link the phone app gets to play a recording. `recording.url` is the public bucket
  // URL stored in the database; `presign(recording.key, seconds)` returns a link signed
  // with the bucket owner's key that stops working after `seconds` (at most 604800).
  // 2016: hand out the stored public URL, which works for anyone who has it, forever.
  // Locked: the bucket is private, so a link must be signed, for this request, and short-lived.
  // The API only calls this for the logged-in parent's own recordings.
  async recordingLink(recording, { presign }) {
    return presign(recording.key, 900); // 15 minutes
  },
};
