#!/usr/bin/env node
import { runAsProgram } from '../program/tool-io.ts';
import { mongoexportMain } from './mongoexport.ts';

runAsProgram(mongoexportMain);
