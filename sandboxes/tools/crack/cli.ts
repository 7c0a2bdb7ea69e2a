#!/usr/bin/env node
import { runAsProgram } from '../program/tool-io.ts';
import { crackMain } from './crack.ts';

runAsProgram(crackMain, { gracefulInterrupt: true });
