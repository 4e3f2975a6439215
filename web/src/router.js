// Routes (history mode; the server answers index.html for every non-file path).
import { createRouter, createWebHistory } from 'vue-router';
import { session, isOperator } from './session.js';

const owner = (path, loader, meta = {}) => ({ path, component: loader, meta: { auth: true, area: 'owner', ...meta } });

const routes = [
  { path: '/', redirect: () => (!session.data ? '/login' : isOperator.value ? '/operator' : '/cars') },
  { path: '/login', component: () => import('./owner/LoginPage.vue'), meta: { guest: true } },
  { path: '/register', component: () => import('./owner/RegisterPage.vue'), meta: { guest: true } },
  owner('/cars', () => import('./owner/CarsPage.vue')),
  owner('/cars/new', () => import('./owner/CarAddPage.vue')),
  owner('/cars/:id', () => import('./owner/CarDetailPage.vue')),
  owner('/diagnose', () => import('./owner/DiagnosePage.vue')),
  owner('/shops', () => import('./owner/ShopsPage.vue')),
  owner('/book/:providerId', () => import('./owner/BookPage.vue')),
  owner('/orders', () => import('./owner/OrdersPage.vue')),
  owner('/orders/:id', () => import('./owner/OrderDetailPage.vue')),
  owner('/notifications', () => import('./owner/NotificationsPage.vue')),
  owner('/me', () => import('./owner/AccountPage.vue')),
  { path: '/provider', component: () => import('./provider/ProviderLayout.vue'), meta: { auth: true, area: 'provider' },
    children: [
      { path: '', component: () => import('./provider/ProviderHome.vue') },
      { path: 'apply', component: () => import('./provider/ApplyPage.vue') },
      { path: 'services', component: () => import('./provider/ServicesPage.vue') },
      { path: 'schedule', component: () => import('./provider/SchedulePage.vue') },
      { path: 'orders', component: () => import('./provider/OrderBoard.vue') },
      { path: 'staff', component: () => import('./provider/StaffPage.vue') },
      { path: 'finance', component: () => import('./provider/FinancePage.vue') },
    ] },
  { path: '/operator', component: () => import('./operator/OperatorLayout.vue'), meta: { auth: true, area: 'operator' },
    children: [
      { path: '', component: () => import('./operator/DashboardPage.vue') },
      { path: 'applications', component: () => import('./operator/ApplicationsPage.vue') },
      { path: 'orders', component: () => import('./operator/OrdersPage.vue') },
      { path: 'audit', component: () => import('./operator/AuditPage.vue') },
    ] },
  { path: '/:rest(.*)*', component: () => import('./owner/NotFoundPage.vue') },
];

export const router = createRouter({
  history: createWebHistory(),
  routes,
  scrollBehavior: () => ({ top: 0 }),
});

router.beforeEach((to) => {
  if (to.meta.auth && !session.data) return { path: '/login', query: { next: to.fullPath } };
  if (to.meta.guest && session.data) return { path: '/' };
  return true;
});
