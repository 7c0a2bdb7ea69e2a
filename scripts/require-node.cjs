// Runs first in every npm script (and as the root preinstall): on a Node.js older than the
// project needs, say in one line what is needed and how to get it, and stop, instead of
// letting Astro or tsx fail later with a stack trace.
//
// Deliberately old-fashioned JavaScript (CommonJS, var, no optional chaining): it must parse
// on the very Node versions it refuses. The versions come from package.json ("engines") and
// .nvmrc, so this file never needs editing when they change.
'use strict';
var fs = require('fs');
var path = require('path');

var root = path.join(__dirname, '..');
var engines = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')).engines || {};
var wanted = /(\d+)\.(\d+)/.exec(engines.node || '') || ['', '0', '0'];
var needMajor = Number(wanted[1]);
var needMinor = Number(wanted[2]);
var recommended = '';
try {
  recommended = fs.readFileSync(path.join(root, '.nvmrc'), 'utf8').trim();
} catch (error) {
  // No .nvmrc: the message simply names no recommended version.
}

var have = process.versions.node.split('.').map(Number);
var tooOld = have[0] < needMajor || (have[0] === needMajor && have[1] < needMinor);
if (tooOld) {
  process.stderr.write(
    'CloudPets Breach Lab needs Node.js ' + needMajor + '.' + needMinor + ' or newer' +
      (recommended ? ', ' + recommended + ' recommended' : '') +
      '; this is Node.js ' + process.versions.node +
      '. With nvm: `nvm install` (it reads .nvmrc), then run the command again; or get it from https://nodejs.org/\n'
  );
  process.exit(1);
}
