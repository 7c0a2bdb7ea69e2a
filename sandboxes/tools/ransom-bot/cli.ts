#!/usr/bin/env node
import { runAsProgram } from '../program/tool-io.ts';
import { ransomBotMain } from './ransom-bot.ts';

runAsProgram(ransomBotMain);
