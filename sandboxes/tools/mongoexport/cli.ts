#!/usr/bin/env node
import { runAsProgram } from '../shared/tool-io.ts';
import { mongoexportMain } from './mongoexport.ts';

runAsProgram(mongoexportMain);
