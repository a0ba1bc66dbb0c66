// The action's pure decision and rendering layer: no GitHub client, no I/O. The adapter
// (src/action/) gathers reviews, permissions, teams, patches and comments and calls these.
export {
  decide,
  flaggedPaths,
  isBot,
  latestVotes,
  policyFor,
  requiredTeams,
  statusDescription,
  reportOnlyDescription,
  type ApprovalInput,
  type CategoryDecision,
  type Decision,
  type Permission,
  type Review,
} from './approvals.js';
export { annotations, ANNOTATIONS_PER_LEVEL, type Annotation } from './annotations.js';
export {
  diffLines,
  inlineBody,
  inlineMarker,
  isResolvedComment,
  parseInlineMarker,
  planInline,
  resolvedBody,
  type ExistingComment,
  type InlinePlan,
} from './inline.js';
export { COMMENT_LIMIT, isSummaryComment, JOB_SUMMARY_LIMIT, renderJobSummary, renderSummary, SUMMARY_MARKER } from './render.js';
