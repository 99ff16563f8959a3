#!/usr/bin/env node
import "../dist/git-annex-remote-glacier.js";
