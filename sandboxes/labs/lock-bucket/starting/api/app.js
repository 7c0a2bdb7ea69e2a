// CloudPets app backend, as it ran in 2016.
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

  // The link the phone app gets to play a recording (GET /recordings/<id>/link and the
  // list in GET /me/recordings). `recording.url` is the public bucket URL stored in the
  // database, `recording.userId` the parent it belongs to, `user` the logged-in parent
  // asking. `presign(recording.key, seconds)` returns a link signed with the bucket owner's
  // key that stops working after `seconds` (at most 604800). Return null to refuse (404).
  // 2016: hand out the stored public URL of whatever recording is asked for; the URL works
  // for anyone who has it, forever.
  async recordingLink(recording, { presign, user }) {
    return recording.url;
  },

  // Later labs add optional settings here: beforeLogin(email, { ip }), afterLogin(email, ok, { ip }),
  // mustChangePassword(password) and securityTxt. The lab's instructions say when.
};
