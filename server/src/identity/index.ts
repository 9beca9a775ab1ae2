export { createStaffUser, listStaffUsers, type NewStaffUser, type StaffUser } from './service.js';
