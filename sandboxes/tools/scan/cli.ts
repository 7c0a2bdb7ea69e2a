#!/usr/bin/env node
import { runAsProgram } from '../program/tool-io.ts';
import { scanMain } from './scan.ts';

runAsProgram(scanMain);
