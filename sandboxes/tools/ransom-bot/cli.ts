#!/usr/bin/env node
import { runAsProgram } from '../shared/tool-io.ts';
import { ransomBotMain } from './ransom-bot.ts';

runAsProgram(ransomBotMain);
