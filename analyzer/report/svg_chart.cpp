// SPDX-License-Identifier: MIT
// (in progress)
